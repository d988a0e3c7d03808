.PHONY: run test bench

run:  ## start the dashboard with demo data on http://localhost:8000
	bash scripts/run.sh

test:  ## install what is missing, start throw-away services, run every test
	bash scripts/test.sh

bench:  ## benchmarks; figures go to bench/results/
	bash scripts/bench.sh
