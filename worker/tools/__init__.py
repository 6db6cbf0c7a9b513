"""The tools a call can use: tool classes, their discovery, and loading them for a call.

Worker-only: it imports LiveKit Agents (~2 s and ~130 MB). The API reads tools
as data (core/tools/catalogue.py, the platform_tools table).
"""
