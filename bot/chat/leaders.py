"""Who may broadcast and choose conversations: the leaders in ``LEADER_AAD_IDS``.

A leader is recognised by the Azure AD object id Teams puts on every message
(``Incoming.user_id``), never by a display name, which anyone can share.

    >>> leaders = Leaders(("aad-lene",))
    >>> leaders.configured, leaders.includes("aad-lene"), leaders.includes("")
    (True, True, False)
"""

from __future__ import annotations

from dataclasses import dataclass, field

NONE_CONFIGURED = (
    "Ingen kan sende invitasjoner eller velge kanaler ennå, fordi det ikke er satt opp hvem som "
    "er ledere. Den som drifter Rutinebot, legger ledernes Azure AD-objekt-id-er "
    "(kommaseparert) i innstillingen LEADER_AAD_IDS og starter boten på nytt."
)


@dataclass(frozen=True)
class Leaders:
    ids: tuple[str, ...] = ()
    _lowered: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_lowered", frozenset(i.strip().lower() for i in self.ids))

    @property
    def configured(self) -> bool:
        return bool(self.ids)

    def includes(self, user_id: str) -> bool:
        return bool(user_id) and user_id.strip().lower() in self._lowered
