package registry

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeTimes(t *testing.T) {
	t.Parallel()
	ts := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name    string
		in      string
		want    *Times
		wantErr bool
	}{
		{
			name: "time-after-versions",
			in: `{"name":"a","versions":{"1.0.0":{"time":"not this one"}},"readme":"` + strings.Repeat("x", 100_000) + `",` +
				`"time":{"modified":"2020-11-06T02:46:30.572Z","created":"2010-12-29T19:38:25.450Z","1.0.0":"2010-12-29T19:38:25.450Z"},"users":{}}`,
			want: &Times{
				Created: ts("2010-12-29T19:38:25.450Z"), Modified: ts("2020-11-06T02:46:30.572Z"),
				Versions: map[string]time.Time{"1.0.0": ts("2010-12-29T19:38:25.450Z")},
			},
		},
		{
			name: "unpublished-and-junk-entries-skipped",
			in:   `{"time":{"created":"2020-01-01T00:00:00Z","unpublished":{"time":"2021-01-01T00:00:00Z","versions":["1.0.0"]},"2.0.0":"yesterday","3.0.0":null,"4.0.0":"2020-01-02T00:00:00+02:00"}}`,
			want: &Times{Created: ts("2020-01-01T00:00:00Z"), Versions: map[string]time.Time{"4.0.0": ts("2020-01-02T00:00:00+02:00")}},
		},
		{name: "no-time", in: `{"name":"a","versions":{}}`, want: &Times{Versions: map[string]time.Time{}}},
		{name: "nested-time-ignored", in: `{"versions":{"1.0.0":{"time":{"1.0.0":"2020-01-01T00:00:00Z"}}}}`, want: &Times{Versions: map[string]time.Time{}}},
		{name: "escaped-key", in: `{"ti\u006de":{"1.0.0":"2020-01-01T00:00:00Z"}}`, want: &Times{Versions: map[string]time.Time{"1.0.0": ts("2020-01-01T00:00:00Z")}}},
		{name: "duplicate-time", in: `{"time":{},"time":{"1.0.0":"2020-01-01T00:00:00Z"}}`, wantErr: true},
		{name: "duplicate-version", in: `{"time":{"1.0.0":"2020-01-01T00:00:00Z","1.0.0":"2021-01-01T00:00:00Z"}}`, wantErr: true},
		{name: "duplicate-names-elsewhere-allowed", in: `{"readme":"a","readme":"b","time":{}}`, want: &Times{Versions: map[string]time.Time{}}},
		{name: "time-not-object", in: `{"time":"2020-01-01T00:00:00Z"}`, wantErr: true},
		{name: "time-null", in: `{"time":null}`, wantErr: true},
		{name: "not-object", in: `[{"time":{}}]`, wantErr: true},
		{name: "null", in: `null`, wantErr: true},
		{name: "empty", in: ``, wantErr: true},
		{name: "truncated-after-time", in: `{"time":{},"readme":"abc`, wantErr: true},
		{name: "trailing-data", in: `{"time":{}} {}`, wantErr: true},
		{name: "invalid-json", in: `{"time":{"1.0.0":2020-01-01}}`, wantErr: true},
		{name: "invalid-utf8-tolerated", in: "{\"readme\":\"\xff\",\"time\":{}}", want: &Times{Versions: map[string]time.Time{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeTimes(strings.NewReader(tt.in))
			if tt.wantErr {
				if !errors.Is(err, ErrMalformed) {
					t.Fatalf("decodeTimes error = %v, want ErrMalformed", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("decodeTimes: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("decodeTimes diff (-want +got):\n%s", diff)
			}
		})
	}
}
