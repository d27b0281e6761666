"""Training and calibration of onrecord's models; the runtime never imports this package."""
