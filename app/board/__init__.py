"""The whiteboard: a typed graph the candidate draws (graph.py), kept as versions on the interview's
timeline (tables.py, store.py), written through the live stream (channel.py), read by the interviewer
(reading.py, followup.py), rendered as escaped SVG for the review and the exports (svg.py)."""
