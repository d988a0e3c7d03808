#!/usr/bin/env bash
# Benchmarks on a throw-away PostgreSQL: demo-data load, the invoice and payment list queries, matching
# bank statement lines to invoices (100,000 open invoices, 10,000 lines).
# Figures are written to bench/results/*.json. BENCH_INVOICES sets the size (default 1,000,000).
set -euo pipefail
source "$(dirname "$0")/setup.sh"
N="${BENCH_INVOICES:-1000000}"
python bench/demo_data_bench.py --invoices "$N"
python bench/invoice_list_bench.py --invoices "$N"
python bench/payments_list_bench.py --invoices "$N"
python bench/matching_bench.py
echo "Figures: bench/results/"
