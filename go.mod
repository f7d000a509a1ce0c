module github.com/lockreview/lockreview

go 1.26.8

require (
	github.com/Masterminds/semver/v3 v3.5.0
	github.com/go-json-experiment/json v0.0.0-20260820222146-c27c302e5fc3
	github.com/google/go-cmp v0.7.0
	gopkg.in/yaml.v3 v3.0.1
)
