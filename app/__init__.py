"""Viva: a self-hosted voice mock interviewer for backend-engineering interviews."""

import os

# numpy's OpenBLAS starts a thread per core at import, at the importing thread's priority (the event loop's),
# and spins it after each matrix product (faster-whisper's log-mel features, the turn model's): with 24
# sessions talking it took ~30 % of a core beside the loop and Whisper (bench/capacity.py). Viva's heavy work
# has its own threads (CTranslate2, onnxruntime); BLAS runs in the calling thread. Set before numpy loads; an
# explicit setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
