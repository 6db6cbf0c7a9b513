"""Post-call analysis: after a call ends, a model reads its record and writes a summary, a
success evaluation and structured data, as the agent's analysis plan asks.

- plan.py: the plan (what to ask), its rules and defaults; read by agents and snapshots.
- result.py: what an analysis says (stored, and carried by the `call.analyzed` event).
- jobs.py: the job, queued in the transaction that ends the call.
- prompt.py: the request built from the call's record and the plan; the answer checked.
- gemini.py: Gemini's text API through `google-genai`.
- runner.py: claims due jobs, asks the model, stores the result, records `call.analyzed`.

Only jobs.py, plan.py and result.py are imported where calls end and agents change (API,
webhooks): google-genai is never loaded there. The runner runs in the worker processes
(worker/analysis.py) and in `voiceagents analysis run`.
"""
