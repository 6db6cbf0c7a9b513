"""Live fan-out: each event's result computed once per distinct subscription selection and
permission scope, and the same bytes sent to every subscriber of it (docs/architecture.md,
"Live fan-out")."""
