#!/usr/bin/env python3
"""Writes usage.csv, cpu.json and memory.json: the same made-up samples for shop.yaml's pods, as a
plain CSV (with the pod column) and as Prometheus query_range responses. Deterministic (seeded).
Usage: python3 generate.py   (from this directory)"""
import json, math, random

random.seed(7)
START = 1764547200          # 2025-12-01T00:00:00Z
STEP = 1200                 # 20 minutes
DAYS = 2
ALPHABET = "bcdfghjklmnpqrstvwxz2456789"

def suffix(n=5):
    return "".join(random.choice(ALPHABET) for _ in range(n))

def diurnal(t, base, swing):
    hour = ((t - START) % 86400) / 3600
    return base * (1 + swing * math.sin((hour - 8) / 24 * 2 * math.pi))

# (pod, container, cpu cores(t), memory bytes(t), times)
series = []
full = [START + i * STEP for i in range(DAYS * 86400 // STEP)]
MI = 1 << 20
web_rs = suffix(10)
old_rs = suffix(10)
for i in range(6):
    rs = old_rs if i == 5 else web_rs   # one pod of the previous ReplicaSet (replaced since)
    pod = f"web-{rs}-{suffix()}"
    series.append((pod, "app", lambda t: diurnal(t, 0.30, 0.5) * random.uniform(0.8, 1.2),
                   lambda t: random.uniform(900, 1100) * MI, full))
    series.append((pod, "envoy", lambda t: diurnal(t, 0.04, 0.5) * random.uniform(0.7, 1.3),
                   lambda t: random.uniform(50, 64) * MI, full))
cart_rs = suffix(10)
for i in range(4):
    series.append((f"cart-{cart_rs}-{suffix()}", "app", lambda t: diurnal(t, 0.35, 0.6) * random.uniform(0.8, 1.3),
                   lambda t: random.uniform(560, 720) * MI, full))
for i in range(3):
    series.append((f"search-{i}", "elasticsearch", lambda t: diurnal(t, 0.9, 0.4) * random.uniform(0.8, 1.2),
                   lambda t: random.uniform(8.5, 9.2) * 1024 * MI, full))
worker_rs = suffix(10)
for i in range(5):
    series.append((f"worker-{worker_rs}-{suffix()}", "worker", lambda t: random.uniform(0.15, 0.35),
                   lambda t: random.uniform(450, 600) * MI, full))
for run in range(3):                      # three runs of the CronJob, an hour each
    start = START + run * 43200
    times = [start + i * STEP for i in range(3600 // STEP)]
    minute = start // 60
    series.append((f"report-{minute}-{suffix()}", "report", lambda t: random.uniform(0.5, 0.8),
                   lambda t: random.uniform(300, 400) * MI, times))
series.append((f"legacy-api-{suffix(10)}-{suffix()}", "app", lambda t: 0.1, lambda t: 200 * MI, full))  # matches no workload
for i in range(4):                        # the log shipper on each of four nodes
    series.append((f"log-shipper-{suffix()}", "fluent-bit", lambda t: diurnal(t, 0.02, 0.5) * random.uniform(0.7, 1.3),
                   lambda t: random.uniform(40, 70) * MI, full, "logging"))

rows = []
cpu_result, mem_result = [], []
for entry in series:
    pod, container, cpu, mem, times = entry[:5]
    namespace = entry[5] if len(entry) > 5 else "shop"
    cpu_values, mem_values = [], []
    for t in times:
        c = f"{cpu(t):.6f}".rstrip("0").rstrip(".")
        m = str(int(mem(t)))
        cpu_values.append([t, c])
        mem_values.append([t, m])
        rows.append((t, namespace, pod, container, c, m))
    labels = {"container": container, "namespace": namespace, "pod": pod}
    cpu_result.append({"metric": labels, "values": cpu_values})
    mem_result.append({"metric": labels, "values": mem_values})

def workload(pod):
    # What a user's export would name: the pod's owner (Deployment, StatefulSet, CronJob).
    parts = pod.split("-")
    if pod.startswith("search-"):
        return "search"
    if pod.startswith("legacy-api-"):
        return "legacy-api"
    if pod.startswith("log-shipper-"):
        return "log-shipper"
    return parts[0]

rows.sort()
with open("usage.csv", "w") as f:
    f.write("# Two days of made-up usage for shop.yaml (generate.py); cpu in cores, memory in bytes.\n")
    f.write("timestamp,namespace,workload,pod,container,cpu,memory\n")
    for t, namespace, pod, container, c, m in rows:
        f.write(f"{t},{namespace},{workload(pod)},{pod},{container},{c},{m}\n")
for name, result in (("cpu.json", cpu_result), ("memory.json", mem_result)):
    with open(name, "w") as f:
        json.dump({"status": "success", "data": {"resultType": "matrix", "result": result}}, f, separators=(",", ":"))
        f.write("\n")
