"""Named, versioned registries of pipeline components.

A registry maps a versioned name (``attrib.crf.v1``) to a factory that takes the component's
settings as keyword arguments (``create("attrib.encoder.v1", batch_size=16)``), so a variant is
chosen by name and settings, never by patching code. Built-in components register exactly as
plugins do: plugins expose an entry point in the group
``onrecord.plugins`` whose object is called with the registries so it can add its own.
A changed algorithm gets a new name, so stored rows and eval results stay comparable.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any, Generic, TypeVar

from onrecord.errors import ConfigError

log = logging.getLogger(__name__)

T = TypeVar("T")
ENTRY_POINT_GROUP = "onrecord.plugins"


class Registry(Generic[T]):
    """Factories of one kind of component, keyed by versioned name."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._factories: dict[str, Callable[..., T]] = {}

    def register(self, name: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
        """Decorator that registers ``factory`` under ``name``.

        Raises:
            ConfigError: the name is taken already.
        """

        def add(factory: Callable[..., T]) -> Callable[..., T]:
            if name in self._factories:
                raise ConfigError(
                    f"[{ConfigError.code}] {self.kind} {name!r} is registered twice; "
                    "give the new version a new name."
                )
            self._factories[name] = factory
            return factory

        return add

    def names(self) -> list[str]:
        """Registered names, sorted."""
        return sorted(self._factories)

    def settings(self, name: str) -> list[str]:
        """The keyword settings the factory registered under ``name`` takes."""
        parameters = inspect.signature(self._factory(name)).parameters.values()
        return [p.name for p in parameters if p.kind is p.KEYWORD_ONLY or p.default is not p.empty]

    def create(self, name: str, **settings: Any) -> T:  # Any: settings are the factory's own
        """Build the component registered under ``name`` with the given settings.

        Raises:
            ConfigError: nothing is registered under that name, or it takes no such setting.
        """
        factory = self._factory(name)
        unknown = sorted(set(settings) - set(self.settings(name)))
        if unknown:
            known = ", ".join(self.settings(name)) or "none"
            raise ConfigError(
                f"[{ConfigError.code}] {self.kind} {name!r} has no setting "
                f"{', '.join(unknown)}; its settings: {known}."
            )
        return factory(**settings)

    def _factory(self, name: str) -> Callable[..., T]:
        try:
            factory = self._factories[name]
        except KeyError:
            known = ", ".join(self.names()) or "none"
            raise ConfigError(
                f"[{ConfigError.code}] no {self.kind} named {name!r}; known: {known}."
            ) from None
        return factory


def load_plugins(*registries: Registry[Any]) -> int:
    """Call every ``onrecord.plugins`` entry point with the registries; return how many ran."""
    count = 0
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        log.debug("loading plugin %s", entry.name)
        entry.load()(*registries)
        count += 1
    return count
