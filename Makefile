.DEFAULT_GOAL := help
GO ?= go

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

run: ## review a real dependency update (the README's first command)
	$(GO) run ./cmd/lockreview diff --base testdata/lockfiles/v2-octokit-webhooks-es5-ext-install-script/base.json --head testdata/lockfiles/v2-octokit-webhooks-es5-ext-install-script/head.json

test: ## run the tests (the README's second command)
	$(GO) test -race ./...

ci: ## what CI runs
	bash .ci/run

update: ## regenerate golden files
	$(GO) test ./pkg/report/... ./pkg/sbom/... ./pkg/typosquat/... ./webhook/... -update

fuzz: ## run every fuzz target for FUZZTIME (default 1m) each
	@for t in "FuzzParse ./pkg/lockfile" "FuzzParse ./pkg/policy" "FuzzParse ./pkg/license" "FuzzNearest ./pkg/typosquat" "FuzzDecodeManifest ./pkg/registry" "FuzzPublishTimes ./pkg/registry" "FuzzVerifyAttestations ./pkg/provenance" "FuzzDispatch ./webhook" "FuzzReview ./pkg/review"; do \
		set -- $$t; $(GO) test -run='^$$' -fuzz="^$$1$$" -fuzztime=$${FUZZTIME:-1m} $$2 || exit 1; done

bench: ## run the benchmarks
	$(GO) test -run='^$$' -bench=. -benchmem ./pkg/...
	$(GO) test -run='^$$' -bench=Ingest -benchtime=10000x ./webhook
	$(GO) test -run='^$$' -bench=EndToEnd -benchtime=5x ./webhook

bench-process: ## whole-process timing of lockreview diff vs node JSON.parse
	bash bench/process.sh

lint: ## vet and gofmt
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || (gofmt -l . && exit 1)

check-deps: ## pkg/ must not import GitHub, webhook/ or cmd/
	@! $(GO) list -deps ./pkg/... | grep -E 'google/go-github|lockreview/lockreview/webhook|lockreview/lockreview/cmd'

generate: ## refresh the embedded data: popular-package list and its index, Sigstore trusted root and npm keys, SPDX ids (needs npm)
	$(GO) generate ./pkg/typosquat/... ./pkg/provenance/... ./pkg/sbom/...

build: ## static binary
	CGO_ENABLED=0 $(GO) build -trimpath -o lockreview ./cmd/lockreview

docker: ## container image (distroless, static, non-root)
	docker build -t lockreview .

.PHONY: help run test ci update fuzz bench bench-process lint check-deps generate build docker
