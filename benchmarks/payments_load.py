"""Payment posting under load: a real uvicorn server, a load generator on the same machine.

For each engine (PostgreSQL, SQLite) the script builds a scratch operational database with customers, open
invoices and cashiers with an open cash session, starts ``uvicorn`` on it, and drives ``POST /cashdesk/payments``
from several client processes, each with several threads holding keep-alive HTTP connections. It prints requests
per second and p50/p99 latency, checks afterwards that every accepted payment is in the database exactly once
with gapless receipt numbers and a balanced ledger, and writes ``benchmarks/results/payments_load.json``.

    .venv/bin/python benchmarks/payments_load.py                    # both engines, 20 s each
    .venv/bin/python benchmarks/payments_load.py --engines sqlite --seconds 10 --levels 1x4 2x8

PostgreSQL is reached through ``YEELEN_TEST_POSTGRES_URL`` (default: postgres@127.0.0.1:5432, trust auth); a
database named ``yeelen_bench_*`` is created and dropped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import http.client
import json
import multiprocessing
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

POSTGRES_ADMIN_URL = os.environ.get("YEELEN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
RESULTS = ROOT / "benchmarks" / "results"
PASSWORD = "Bench-password-2026"
AGENCIES = ("PKN", "GUE", "RUF", "PLT")


def seed(url: str, customers: int, cashiers: int) -> dict:
    """Schema, agencies, customers with two open invoices each, cashiers with a token; returns what clients need."""
    from operational_api.accounts import service as accounts
    from operational_api.auth import service as auth
    from operational_api.auth.principal import Principal
    from operational_api.auth.rights import Role
    from operational_api.billing.models import Invoice
    from operational_api.config import load_policy
    from operational_api.db import make_engine, session_factory, unit_of_work
    from operational_api.migrate import upgrade
    from operational_api.models import Agency, Contract, Customer, DeliveryPoint, ReadingRound

    upgrade(url)
    engine = make_engine(url)
    policy = load_policy(argon2_time_cost=1, argon2_memory_kib=1024, argon2_parallelism=1)
    system = Principal(kind="system", id=0, login="bench", role=Role.ADMIN, agency_ids=None)
    tokens = []
    references = []
    with unit_of_work(session_factory(engine)) as session:
        agencies = [Agency(code=code, name=code, city="Dakar") for code in AGENCIES]
        session.add_all(agencies)
        session.flush()
        rounds = [ReadingRound(agency_id=a.id, code=f"{a.code}-1", name=a.code, reading_day=5) for a in agencies]
        session.add_all(rounds)
        session.flush()
        for index in range(customers):
            agency = agencies[index % len(agencies)]
            customer = Customer(reference=f"C{index:07d}", kind="person", name=f"Client {index}", agency_id=agency.id)
            point = DeliveryPoint(
                reference=f"PL{index:07d}",
                agency_id=agency.id,
                commodity="electricity",
                address="Dakar",
                latitude=14.7,
                longitude=-17.4,
            )
            session.add_all([customer, point])
            session.flush()
            contract = Contract(
                reference=f"P{index:07d}",
                customer_id=customer.id,
                delivery_point_id=point.id,
                commodity="electricity",
                category="DOM",
                subscribed_power=decimal.Decimal("6"),
                power_unit="kVA",
                billing_cycle="monthly",
                reading_round_id=rounds[index % len(agencies)].id,
                start_date=dt.date(2020, 1, 1),
            )
            session.add(contract)
            session.flush()
            for month in (1, 2):
                number = index * 2 + month
                invoice = Invoice(
                    number=f"F2026-{number:08d}",
                    series="F2026",
                    sequence_number=number,
                    kind="invoice",
                    contract_id=contract.id,
                    customer_id=customer.id,
                    agency_id=agency.id,
                    billing_month=dt.date(2026, month, 1),
                    period_start=dt.date(2026, month, 1),
                    period_end=dt.date(2026, month + 1, 1),
                    consumption=decimal.Decimal("150"),
                    unit="kWh",
                    issue_date=dt.date(2026, month, 5),
                    due_date=dt.date(2026, month, 20),
                    currency="XOF",
                    total=20_000,
                    issued_by="bench",
                )
                session.add(invoice)
                session.flush()
                accounts.post_invoice(session=session, invoice=invoice, created_by="bench")
            references.append((customer.reference, AGENCIES.index(agency.code)))
        for index in range(cashiers):
            code = AGENCIES[index % len(AGENCIES)]
            login = f"cashier{index}"
            auth.create_user(
                session=session,
                policy=policy,
                principal=system,
                login=login,
                full_name=login,
                role=Role.CASHIER,
                agencies=[code],
                password=PASSWORD,
                must_change_password=False,
            )
            result = auth.login(
                session=session, policy=policy, login=login, password=PASSWORD, workstation="bench", client_address=None
            )
            tokens.append((result.token, AGENCIES.index(code)))
    engine.dispose()
    return {"tokens": tokens, "customers": references}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(url: str, home: Path, workers: int, worker_threads: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("YEELEN_")}
    env |= {
        "YEELEN_HOME": str(home),
        "YEELEN_OPERATIONAL_URL": url,
        "YEELEN_DB_POOL_SIZE": "20",
        "YEELEN_WORKER_THREADS": str(worker_threads),
        "YEELEN_ARGON2_TIME_COST": "1",
        "YEELEN_ARGON2_MEMORY_KIB": "1024",
        "YEELEN_ARGON2_PARALLELISM": "1",
        "PYTHONPATH": str(ROOT),
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "operational_api.main:app_from_environment",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--workers",
        str(workers),
    ]
    process = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start")


def call(connection: http.client.HTTPConnection, method: str, path: str, body: dict | None, headers: dict):
    payload = json.dumps(body).encode() if body is not None else None
    connection.request(method, path, body=payload, headers=headers | {"Content-Type": "application/json"})
    response = connection.getresponse()
    return response.status, response.read()


def client_process(port: int, plan: dict, threads: int, seconds: float, warmup: float, queue) -> None:
    """One load-generating process: ``threads`` threads, each with its own keep-alive connection and cashier."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    receipts: list[str] = []
    lock = threading.Lock()
    start_at = plan["start_at"]
    measure_from = start_at + warmup
    stop_at = measure_from + seconds

    def worker(slot: int) -> None:
        token, agency = plan["tokens"][slot]
        customers = [reference for reference, customer_agency in plan["customers"] if customer_agency == agency]
        rng = random.Random(slot)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Authorization": f"Bearer {token}", "X-Workstation": f"bench-{slot}"}
        while time.time() < start_at:
            time.sleep(0.001)
        mine_latencies, mine_statuses, mine_receipts = [], {}, []
        while True:
            now = time.time()
            if now >= stop_at:
                break
            body = {"customer_reference": rng.choice(customers), "amount": rng.randint(100, 8000), "method": "cash"}
            began = time.perf_counter()
            try:
                status, content = call(
                    connection, "POST", "/cashdesk/payments", body, headers | {"Idempotency-Key": uuid.uuid4().hex}
                )
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status, content = 599, b""
            elapsed = time.perf_counter() - began
            if status == 201:
                mine_receipts.append(json.loads(content)["receipt_number"])
            if now >= measure_from:
                mine_latencies.append(elapsed)
                mine_statuses[status] = mine_statuses.get(status, 0) + 1
        with lock:
            latencies.extend(mine_latencies)
            receipts.extend(mine_receipts)
            for status, count in mine_statuses.items():
                statuses[status] = statuses.get(status, 0) + count

    def process_cpu() -> float:
        times = os.times()
        return times.user + times.system

    pool = [threading.Thread(target=worker, args=(slot,)) for slot in plan["slots"]]
    for thread in pool:
        thread.start()
    # The generator's own CPU over the measured window: what it takes from the cores the server shares.
    time.sleep(max(0.0, measure_from - time.time()))
    cpu_from = process_cpu()
    time.sleep(max(0.0, stop_at - time.time()))
    cpu_used = process_cpu() - cpu_from
    for thread in pool:
        thread.join()
    queue.put({"latencies": latencies, "statuses": statuses, "receipts": receipts, "cpu_seconds": cpu_used})


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process (Linux /proc), 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def _backend_pids(url: str) -> list[int]:
    if not url.startswith("postgresql"):
        return []
    engine = create_engine(url)
    with engine.connect() as connection:
        pids = connection.execute(
            text("select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()")
        ).scalars()
        found = list(pids)
    engine.dispose()
    return found


def cpu_probe(url: str, server_pid: int, start: float, stop: float, out: dict) -> None:
    """CPU seconds used by the server's processes and the database's backends during [start, stop)."""
    time.sleep(max(0.0, start - time.time()))
    server = _descendants(server_pid)
    backends = _backend_pids(url)
    before = ({pid: _cpu_seconds(pid) for pid in server}, {pid: _cpu_seconds(pid) for pid in backends})
    time.sleep(max(0.0, stop - time.time()))
    out["server"] = sum(_cpu_seconds(pid) - value for pid, value in before[0].items())
    out["database"] = sum(_cpu_seconds(pid) - value for pid, value in before[1].items())
    out["seconds"] = stop - start


def open_sessions(port: int, tokens: list[tuple[str, int]]) -> None:
    for token, agency in tokens:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        status, content = call(
            connection,
            "POST",
            "/cashdesk/sessions",
            {"agency_code": AGENCIES[agency]},
            {"Authorization": f"Bearer {token}"},
        )
        if status != 201:
            raise RuntimeError(f"cannot open a cash session: {status} {content[:200]!r}")


def verify(url: str, receipts: list[str]) -> dict:
    """Every accepted payment exactly once, gapless numbers per series, ledger balanced."""
    engine = create_engine(url)
    with engine.connect() as connection:
        stored = list(connection.execute(text("select receipt_number from payment")).scalars())
        gaps = connection.execute(
            text("select series, count(*), min(sequence_number), max(sequence_number) from payment group by series")
        ).all()
        ledger = connection.execute(text("select coalesce(sum(amount), 0) from ledger_entry")).scalar()
        invoices = connection.execute(text("select coalesce(sum(total), 0) from invoice")).scalar()
        paid = connection.execute(text("select coalesce(sum(amount), 0) from payment where status = 'posted'")).scalar()
        over = connection.execute(
            text(
                "select count(*) from invoice i where i.total < "
                "(select coalesce(sum(a.amount), 0) from allocation a where a.invoice_id = i.id)"
            )
        ).scalar()
    engine.dispose()
    gapless = all(rows == last - first + 1 and first == 1 for _, rows, first, last in gaps)
    return {
        "payments_in_database": len(stored),
        "accepted_responses": len(receipts),
        "all_present_once": sorted(stored) == sorted(receipts) and len(set(stored)) == len(stored),
        "gapless_series": gapless,
        "ledger_balanced": ledger == invoices - paid,
        "over_allocated_invoices": over,
    }


def run_engine(engine: str, args: argparse.Namespace, clients: int, threads: int) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="yeelen-bench-"))
    admin = None
    if engine == "sqlite":
        url = f"sqlite:///{workdir / 'operational.sqlite'}"
    else:
        name = f"yeelen_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'create database "{name}"'))
        url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    total_threads = clients * threads
    workers = args.sqlite_workers if engine == "sqlite" else args.workers
    cashiers = max(total_threads, len(AGENCIES))
    print(f"[{engine}] seeding {args.customers} customers, {cashiers} cashiers ...", flush=True)
    plan = seed(url, args.customers, cashiers)
    process, port = start_server(url, workdir, workers, args.worker_threads)
    try:
        open_sessions(port, plan["tokens"])
        print(
            f"[{engine}] {clients} client processes x {threads} threads, {workers} server worker(s), "
            f"{args.warmup:.0f} s warm-up + {args.seconds:.0f} s ...",
            flush=True,
        )
        queue = multiprocessing.Queue()
        start_at = time.time() + 1.0
        cpu: dict = {}
        probe = threading.Thread(
            target=cpu_probe,
            args=(url, process.pid, start_at + args.warmup + 0.5, start_at + args.warmup + args.seconds - 0.5, cpu),
        )
        probe.start()
        processes = []
        for client in range(clients):
            slots = list(range(client * threads, (client + 1) * threads))
            plan_for_client = {
                "tokens": plan["tokens"],
                "customers": plan["customers"],
                "slots": slots,
                "start_at": start_at,
            }
            child = multiprocessing.Process(
                target=client_process, args=(port, plan_for_client, threads, args.seconds, args.warmup, queue)
            )
            child.start()
            processes.append(child)
        outcomes = [queue.get(timeout=args.seconds + args.warmup + 120) for _ in processes]
        for child in processes:
            child.join()
        probe.join()
    finally:
        os.killpg(process.pid, 15)
        process.wait(30)
    latencies = sorted(value for outcome in outcomes for value in outcome["latencies"])
    statuses: dict[str, int] = {}
    for outcome in outcomes:
        for status, count in outcome["statuses"].items():
            statuses[str(status)] = statuses.get(str(status), 0) + count
    receipts = [receipt for outcome in outcomes for receipt in outcome["receipts"]]
    checks = verify(url, receipts)
    ok = statuses.get("201", 0)
    result = {
        "engine": engine,
        "server_workers": workers,
        "connections": clients * threads,
        "requests": len(latencies),
        "statuses": statuses,
        "payments_per_second": round(ok / args.seconds, 1),
        "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "p99_ms": round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 1) if latencies else None,
        "max_ms": round(1000 * latencies[-1], 1) if latencies else None,
        # CPU per payment, measured on the server's and the database's own processes: what the machine's other
        # work does not change, and what capacity on dedicated cores follows from.
        "server_cpu_ms_per_payment": round(1000 * cpu["server"] / (ok * cpu["seconds"] / args.seconds), 2)
        if ok
        else None,
        "database_cpu_ms_per_payment": round(1000 * cpu["database"] / (ok * cpu["seconds"] / args.seconds), 2)
        if ok and cpu.get("database")
        else None,
        "load_generator_cpu_ms_per_payment": round(1000 * sum(outcome["cpu_seconds"] for outcome in outcomes) / ok, 2)
        if ok
        else None,
        "checks": checks,
    }
    if admin is not None:
        with admin.connect() as connection:
            connection.execute(text(f'drop database if exists "{make_url(url).database}" with (force)'))
        admin.dispose()
    shutil.rmtree(workdir, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", nargs="+", default=["postgres", "sqlite"], choices=["postgres", "sqlite"])
    parser.add_argument("--seconds", type=float, default=20.0, help="Measured duration per engine")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument(
        "--levels",
        nargs="+",
        default=["2x4", "2x8"],
        help="Load levels as <client processes>x<threads per process> (one keep-alive connection per thread)",
    )
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes (PostgreSQL)")
    parser.add_argument(
        "--sqlite-workers", type=int, default=1, help="uvicorn worker processes on SQLite (one writer at a time)"
    )
    parser.add_argument("--worker-threads", type=int, default=8, help="Database threads per worker")
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--output", type=Path, default=RESULTS / "payments_load.json")
    args = parser.parse_args()
    levels = [tuple(int(part) for part in level.split("x")) for level in args.levels]
    load_before = os.getloadavg()
    results = [run_engine(engine, args, clients, threads) for engine in args.engines for clients, threads in levels]
    print()
    print(
        "| Engine | Server workers | Connections | Payments/s | p50 (ms) | p99 (ms) | Server CPU ms/payment "
        "| Database CPU ms/payment | Load generator CPU ms/payment | Statuses | Checks |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for item in results:
        checks = item["checks"]
        good = checks["all_present_once"] and checks["gapless_series"] and checks["ledger_balanced"]
        good = good and checks["over_allocated_invoices"] == 0
        print(
            f"| {item['engine']} | {item['server_workers']} | {item['connections']} | {item['payments_per_second']} | "
            f"{item['p50_ms']} | {item['p99_ms']} | {item['server_cpu_ms_per_payment']} | "
            f"{item['database_cpu_ms_per_payment'] or '-'} | {item['load_generator_cpu_ms_per_payment']} | "
            f"{item['statuses']} | {'ok' if good else checks} |"
        )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "benchmark": "payments_load",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            # Other work on the machine shares its cores with the server, the database and the load generator.
            "load_average_before": [round(value, 2) for value in load_before],
            "load_average_after": [round(value, 2) for value in os.getloadavg()],
        },
        "parameters": {key: str(value) if isinstance(value, Path) else value for key, value in vars(args).items()},
        "results": results,
    }
    args.output.write_text(json.dumps(document, indent=2) + "\n")
    print(f"\nWritten to {args.output}")


if __name__ == "__main__":
    main()
