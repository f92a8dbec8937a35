"""The benchmark table: every section of one run, with the machine and its load beside it."""

from __future__ import annotations

from stats import fmt


def _tri(s: dict | None, keys=("p50", "p95", "max")) -> str:
    if not s:
        return "-"
    return " / ".join(fmt(s.get(k)) for k in keys)


def _load(m: dict | None) -> str:
    return f"load {' '.join(str(x) for x in m['load'])}" if m else ""


def print_report(r: dict) -> None:
    m = r["machine"]
    print(f"\nViva benchmark: {m['cores']} cores, {m['cpu']}, {m['mem_gib']} GiB, Python {m['python']}; "
          f"started {m['at']}, {_load(m)}; took {r.get('took_s', '?')} s")
    print("Times in ms. The machine may be shared: compare ratios within one run, repeat runs.")
    for model in r["models"]:
        res = r.get(model) or {}
        print(f"\n== STT {res.get('stt', model)} ==")
        lat = res.get("latency")
        if lat:
            print(f"  single session ({_load(lat.get('machine'))})")
            print(f"  {'answer':<8} {'n':>3}  {'eot->final p50/p95/max':>24}  {'speech end->transcript':>24}"
                  f"  {'->1st reply p50/p95':>20}  split")
            for label, row in lat.items():
                if label.startswith("_") or label == "machine":
                    continue
                print(f"  {label:<8} {row['n']:>3}  {_tri(row['eot_to_final_ms']):>24}  "
                      f"{_tri(row['speech_end_to_transcript_ms']):>24}  "
                      f"{_tri(row['reply_ms'], ('p50', 'p95')):>20}  {row['split_turns']:>5}")
            print(f"  ping->pong while streaming: {_tri(lat.get('_pongs_ms'))}")
        cap = res.get("capacity")
        if cap:
            print(f"  capacity ({_load(cap.get('machine'))}); natural gaps, 3 answers of 4-5 s per session")
            print(f"  {'N':>3} {'ans':>4}  {'eot->final p50/p95':>18}  {'speech->transcript p50/p95':>26}  "
                  f"{'ping p95/max':>13}  {'cpu %':>5}  {'RSS MiB':>7}  {'loop stall max':>14}  missing")
            for row in cap["rows"]:
                print(f"  {row['sessions']:>3} {row['answers']:>4}  {_tri(row['eot_to_final_ms'], ('p50', 'p95')):>18}"
                      f"  {_tri(row['speech_end_to_transcript_ms'], ('p50', 'p95')):>26}  "
                      f"{_tri(row['ping_pong_ms'], ('p95', 'max')):>13}  {row['cpu_pct']:>5}  "
                      f"{row['rss_peak_mib']:>7}  {fmt(row['loop_max_stall_ms']):>14}  {row['missing_transcripts']:>7}")
            print(f"  largest N with p95 eot->final <= {cap['target_ms']:.0f} ms: {cap['max_sessions_within_target']}")
        bl = res.get("backlog")
        if bl:
            print(f"  ping->pong after a {bl['audio_s']} s audio burst: {_tri(bl['ping_pong_ms'])} "
                  f"({bl['pongs']} pongs, {bl['lost']} lost; {_load(bl.get('machine'))})")
        tt = res.get("turns")
        if tt:
            st = tt["settings"]
            print(f"  turn-taking ({tt['viva']['paused_answers']} paused answers, pauses {st['pauses_s']} s; "
                  f"base silence {st['turn_silence_ms']} ms; {_load(tt.get('machine'))})")
            head = "delay after real end mean/p95"
            print(f"  {'detector':<18} {'false cut-offs':>14}  {'left split':>10}  {'by pause (s)':<30} {head:>30}")
            for name in ("viva", "viva_open_question", "silence_only"):
                row = tt.get(name)
                if row is None:
                    continue
                by = " ".join(f"{k}:{v}%" for k, v in row["cutoff_pct_by_pause_s"].items())
                split = f"{row['split_pct']}%" if "split_pct" in row and name != "silence_only" else "-"
                print(f"  {name:<18} {row['false_cutoff_pct']:>13}%  {split:>10}  {by:<30} "
                      f"{_tri(row['end_delay_ms'], ('mean', 'p95')):>30}")
            print("  (left split: cut-offs the continuation does not recover, speech resuming later than "
                  "700 ms after the decision; silence only has no recovery)")
        for key in ("accuracy", "accuracy_real"):
            acc = res.get(key)
            if acc:
                print(f"  accuracy ({acc['set']}, {acc['clips']} clips, {acc['words']} words): WER live "
                      f"{acc['live_wer_pct']} % vs one offline call {acc['offline_wer_pct']} %")
    llm = r.get("llm")
    if llm:
        print(f"\n== reply latency with {llm['brain']} ({_load(llm.get('machine'))}) ==")
        for label, row in llm["latency"].items():
            if not label.startswith("_") and label != "machine":
                reply = _tri(row["reply_ms"], ("p50", "p95"))
                print(f"  {label:<8} speech end -> first interviewer_delta p50/p95: {reply}")
    api = r.get("api")
    if api:
        print(f"\n== API, {next(iter(api.values()))['clients']} concurrent clients ({_load(api.get('machine'))}) ==")
        for name, row in api.items():
            if name != "machine":
                print(f"  {name:<26} p50/p95/max {_tri(row)}  {row['rps']} req/s  {row['n']} requests, "
                      f"{row['errors']} errors")
