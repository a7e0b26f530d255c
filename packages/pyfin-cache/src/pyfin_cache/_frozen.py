"""`Frozen`: the base of this distribution's immutable value classes, without `dataclasses`.

`@dataclass(frozen=True, slots=True)` would import `dataclasses` (and `inspect`, `ast`, `dis`,
`tokenize` with it) and generate code per class at import: about 8 ms of every start-up that
touches the cache, more than a warm `pyfin venv` spends on its actual work. A subclass declares
its fields as annotations (and in `__slots__`), and gets what the dataclass gave: equality,
hashing, a repr, pickling and copying, and an `AttributeError` on assignment or deletion.

pyfin-interpreter's value classes use it too (its distribution depends on this one), so that
the pattern exists once.
"""

from __future__ import annotations

# Not `typing.TYPE_CHECKING`: importing typing costs ~3 ms of every start-up (as in pyfin._parser).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar

_FIELDS: dict[type, tuple[str, ...]] = {}


class Frozen:
    """An immutable value whose fields are its annotated attributes, in the order they are
    annotated; each is also a slot, set by `__init__` through `object.__setattr__`.

    Fields named in `_unhashed` (unhashable values such as a read-only mapping) take part in
    equality but not in the hash; attributes starting with `_` are private caches, invisible to
    equality, hash, repr and pickling.
    """

    __slots__ = ()
    _unhashed: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def _fields(cls) -> tuple[str, ...]:
        fields = _FIELDS.get(cls)
        if fields is None:
            names: list[str] = []
            for klass in reversed(cls.__mro__):
                # Not inspect.get_annotations: importing inspect is what this module avoids.
                annotations = klass.__dict__.get("__annotations__", {})  # noqa: RUF063
                names.extend(name for name in annotations if not name.startswith("_"))
            fields = _FIELDS[cls] = tuple(names)
        return fields

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields())

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__ or not isinstance(other, Frozen):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        unhashed = self._unhashed
        return hash(tuple(getattr(self, name) for name in self._fields() if name not in unhashed))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields())
        return f"{self.__class__.__qualname__}({fields})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._fields()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Unpickling and copying bypass __init__: fill every slot, private caches with None.
        for klass in self.__class__.__mro__:
            for name in klass.__dict__.get("__slots__", ()):
                object.__setattr__(self, name, state.get(name))
