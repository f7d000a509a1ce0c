package review

import (
	"github.com/lockreview/lockreview/pkg/checks"
	"github.com/lockreview/lockreview/pkg/typosquat"
)

// TyposquatIndex adapts a typosquat index to what the typosquat check needs.
func TyposquatIndex(ix *typosquat.Index) checks.TyposquatIndex {
	if ix == nil {
		return nil
	}
	return typosquatAdapter{ix}
}

type typosquatAdapter struct{ ix *typosquat.Index }

func (a typosquatAdapter) Nearest(name string) (target, rule, detail string, ok bool) {
	m, ok := a.ix.Nearest(name)
	if !ok {
		return "", "", "", false
	}
	return m.Target, string(m.Reason), m.Detail, true
}
