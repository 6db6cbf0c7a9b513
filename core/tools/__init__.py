"""What the API needs of tools: the catalogue as data, syncing it, config and URL checks.

Nothing here imports LiveKit Agents (an import-linter contract checks it): the
tool classes and everything that runs them on a call live under worker/tools/.
"""
