"""The tool system. Imported by the worker and the CLI, never by the API server
(core.tools.base imports livekit.agents: ~2 s and ~130 MB)."""
