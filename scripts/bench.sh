#!/usr/bin/env bash
# Benchmarks on a throw-away PostgreSQL: demo-data load, the invoice and payment list queries, the
# aging report against hand-written SQL and the dashboard in Chromium, matching
# bank statement lines to invoices (100,000 open invoices, 10,000 lines), invoice PDFs against a
# bare WeasyPrint render, websocket users re-filtering the invoice list on one and several workers.
# Figures are written to bench/results/*.json. BENCH_INVOICES sets the size (default 1,000,000).
set -euo pipefail
source "$(dirname "$0")/setup.sh"
N="${BENCH_INVOICES:-1000000}"
python bench/demo_data_bench.py --invoices "$N"
python bench/invoice_list_bench.py --invoices "$N"
python bench/payments_list_bench.py --invoices "$N"
python bench/reports_bench.py --invoices "$N"  # aging vs hand-written SQL; dashboard in Chromium
python bench/matching_bench.py
python bench/documents_bench.py
python bench/bulk_bench.py --sizes 100,1000  # PDF zip export: PDFs/s, flat memory
# 50/200/500 signed-in websocket users re-filtering the invoice list (100,000 invoices):
# p50/p95 per event kind and errors, on one worker and on four sharing the state in Redis
python bench/websocket_load_bench.py --invoices 100000 --users 50,200,500 --workers 1,4
# the same 200 users while an invoice changes every second (each change makes the kept sums stale)
python bench/websocket_load_bench.py --invoices 100000 --users 200 --workers 1,4 --writes 1
echo "Figures: bench/results/"
