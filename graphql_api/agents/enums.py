"""The closed sets of the agents domain, as GraphQL enums over the core enums (see
graphql_api/calls/enums.py for the pattern)."""

from __future__ import annotations

from core.services import agents
from graphql_api.descriptions import described_enum

VoicemailAction = agents.VoicemailAction
described_enum(
    VoicemailAction,
    name="VoicemailAction",
    description="What the agent does when an outgoing call reaches voicemail or an answering "
    "machine instead of the person.",
    values={
        agents.VoicemailAction.HANG_UP: "Hang up at once; the call ends with the reason "
        "`voicemail`.",
        agents.VoicemailAction.LEAVE_MESSAGE: "Wait for the beep, say `voicemailMessage` "
        "(empty: a short message the model composes from its prompt), then hang up; the call "
        "ends with the reason `voicemail_left`.",
    },
)
