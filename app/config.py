"""Settings: one place for configuration, read from `VIVA_*` environment variables and `.env`.

Every setting here is listed in the README's configuration table; keep the two in step.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VIVA_", env_file=".env", extra="ignore")

    # --- service -----------------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "info"
    data_dir: Path = Path("data")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default is a SQLite file data_dir/viva.db"
    )
    rubrics_dir: Path = ROOT / "rubrics"
    prompts_dir: Path = ROOT / "prompts"
    frontend_dir: Path = ROOT / "frontend"

    # --- speech to text ----------------------------------------------------------------------
    stt_model: str | None = Field(
        default=None, description="tiny.en | base (both bundled) | a model directory | a hub name"
    )
    stt_device: str = "cpu"
    stt_compute_type: str = "int8"
    stt_threads: int = Field(default=1, description="CPU threads per Whisper call")
    stt_workers: int = Field(default=2, description="Whisper calls at once (2 x 1 thread uses both cores)")
    stt_beam_size: int = 1
    stt_pad_s: float = Field(default=3.0, description="silence after a clip in its encoder window; >= 30: full")
    stt_batch: int = Field(default=4, ge=1, le=16, description="clips of several sessions decoded in one call")
    stt: Literal["auto", "local", "remote"] = Field(
        default="auto", description="speech to text: local faster-whisper, remote server, auto = remote when "
        "VIVA_STT_BASE_URL is set")
    stt_base_url: str | None = Field(
        default=None, description="OpenAI-compatible server for /audio/transcriptions"
    )
    stt_api_key: SecretStr | None = None
    stt_remote_model: str = "whisper-1"
    stt_timeout_s: float = 30.0
    stt_max_queue: int = Field(default=32, description="transcription jobs waiting, all sessions; beyond: busy")
    stt_max_pending_s: float = Field(default=180.0, description="audio s one session may have waiting for STT")
    stt_pause_ms: int = Field(default=200, description="pause that starts pre-transcription of a turn")
    stt_partial_s: float = Field(default=0.0, description="extra partials every N s of unpaused speech; 0=off")
    embed_threads: int = Field(default=1, ge=1, le=2, description="CPU threads of the sentence embedder")
    hearing_preload: bool = Field(default=True, description="load the embedder and embed the catalog at start-up")
    cache_dir: Path = Field(default_factory=lambda: Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
                            / "viva", description="where start-up keeps the catalog's vectors for the next start")
    stt_preload: bool = Field(default=True, description="load the whisper model at start-up (in the background)")

    # --- turn taking -------------------------------------------------------------------------
    turn_silence_ms: int = 700
    turn_word_wait_ms: int = Field(default=600, description="extra silence to wait for a pause's words")
    max_turn_s: float = 90.0
    turn_model: Literal["auto", "smart-turn", "off"] = Field(
        default="off", description="turn model that may end a turn sooner: smart-turn (pipecat-ai wheel), "
        "auto = when installed, off (the default: measured, it started more replies inside thinking pauses)")
    prepare_reply: bool = Field(default=True, description="make the reply (and synthesize its first sentence) "
                                "while a turn whose words end a sentence is held, so it is said the moment the "
                                "turn ends; dropped if the candidate goes on")
    keep_audio: bool = Field(default=False, description="keep each spoken turn's audio with the interview "
                             "(replay on the review page); deleted with it")
    tts: Literal["auto", "piper", "browser"] = Field(
        default="auto", description="interviewer voice: piper (server, `viva[voice]`), browser (speechSynthesis), "
        "auto = piper when installed")
    echo_guard: bool = Field(default=True, description="take the server voice's own echo out of the microphone "
                             "stream (barge-in without headphones)")
    tts_workers: int = Field(default=1, description="concurrent speech syntheses (one thread each)")
    tts_cache_s: float = Field(default=600.0, ge=0, description="seconds of synthesized sentences kept for the "
                               "next session that says them (the round's own text, mostly; ~4.6 MB a minute)")
    worker_nice: int = Field(default=10, ge=0, le=19, description="how much lower the CPU priority of the "
                             "speech synthesis and turn model threads is than the event loop's (0: the same)")
    compute_nice: int = Field(default=2, ge=0, le=19, description="how much lower the CPU priority of "
                              "transcription and the other worker threads (the interviewer's hearing, the "
                              "database) is than the event loop's (0: the same)")
    turn_complete_at: float = Field(default=0.9, description="turn model P(complete) that ends a turn at "
                                    "the first short pause (with words that end a sentence)")

    # --- durability ---------------------------------------------------------------------------
    stream_lease_s: float = Field(default=30.0, description="a live stream heartbeats 6x per lease; a stream "
                                  "whose process stopped heartbeating this long is paused by the sweep")
    pause_grace_s: float = Field(default=600.0, description="a paused interview is abandoned (and scored) "
                                 "after this long")
    sweep_every_s: float = Field(default=30.0, description="how often each process sweeps stale and paused "
                                 "interviews (also once at start-up)")

    # --- interviewer and scorer ----------------------------------------------------------------
    brain: Literal["auto", "offline", "llm"] = "auto"
    scorer: Literal["auto", "offline", "llm"] = "auto"
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str = "gpt-4o-mini"
    llm_role: Literal["auto", "lead", "turn"] = Field(
        default="auto", description="what the LLM interviewer writes: a follow-up's lead, or the whole turn")
    llm_timeout_s: float = 20.0
    llm_max_tokens: int = 300
    llm_reply_timeout_s: float = Field(default=8.0, description="wait for the LLM interviewer's first sentence")
    llm_temperature: float = Field(default=0.3, ge=0, le=2, description="sampling temperature of the LLM interviewer")
    llm_breaker_failures: int = Field(default=3, description="consecutive LLM failures that open the breaker")
    llm_breaker_cooldown_s: float = Field(default=30.0, description="offline moves only, then probe the LLM")
    llm_scorer_max_tokens: int = Field(default=160, description="cap on one LLM scorer reply (one dimension)")
    llm_scorer_timeout_s: float = Field(default=60.0, gt=0, description="timeout of one LLM scorer call")
    llm_scorer_max_shift: int = Field(default=1, ge=0, le=3,
                                      description="levels the LLM may move a dimension from the offline score")
    llm_scorer_budget_s: float = Field(default=180.0, gt=0, description="LLM time for one whole scorecard")

    # --- accounts and security (app/auth, app/security; README "Accounts and security") --------
    auth: Literal["local", "accounts"] = Field(
        default="local", description="local: one implicit user, no login (loopback only); accounts: sign-up/login")
    allow_local_mode_on_network: bool = Field(
        default=False, description="let `viva serve` run VIVA_AUTH=local on a non-loopback address")
    allowed_hosts: str = Field(default="", description="extra Host names served, comma-separated; * = any")
    allowed_origins: str = Field(default="", description="extra browser origins allowed, comma-separated")
    cookie_secure: Literal["auto", "always", "never"] = "auto"
    session_idle_hours: float = 24.0
    session_max_days: float = 14.0
    max_body_bytes: int = 1_048_576
    ws_max_message_bytes: int = 131_072
    max_typed_chars: int = 20_000
    # --- code and SQL runs (app/runner): sandboxed with bubblewrap ------------------------------
    run_workers: int = Field(default=2, description="sandboxed runs at once, shared by every session")
    run_wall_s: float = Field(default=6.0, description="wall-clock limit of one run (all its cases)")
    error_echo_chars: int = 80
    max_live_interviews: int = 10
    max_interviews_per_day: int = 50
    login_max_failures: int = 10
    login_window_s: float = 900.0

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'viva.db').as_posix()}"

    @property
    def extra_hosts(self) -> list[str]:
        return [h.strip().lower() for h in self.allowed_hosts.split(",") if h.strip()]

    @property
    def extra_origins(self) -> list[str]:
        return [o.strip().lower().rstrip("/") for o in self.allowed_origins.split(",") if o.strip()]

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url or self.llm_api_key)


@lru_cache
def get_settings() -> Settings:
    return Settings()


SettingsDep = Annotated[Settings, Depends(get_settings)]
