package typosquat_test

import (
	"fmt"

	"github.com/lockreview/lockreview/pkg/typosquat"
)

func ExampleIndex_Nearest() {
	ix := typosquat.Default()
	for _, name := range []string{"lodahs", "crossenv", "@typos/node", "jquery.js", "lodash"} {
		if m, ok := ix.Nearest(name); ok {
			fmt.Printf("%s: %s (%s)\n", name, m.Target, m.Reason)
			fmt.Printf("  %s\n", m.Detail)
		} else {
			fmt.Printf("%s: not confusable\n", name)
		}
	}
	// Output:
	// lodahs: lodash (edit-distance)
	//   "lodahs" swaps two letters of "lodash"
	// crossenv: cross-env (delimiter)
	//   "crossenv" is "cross-env" with different separators
	// @typos/node: @types/node (scope-confusion)
	//   the scope of "@typos/node" imitates the popular scope "@types"
	// jquery.js: jquery (affix)
	//   "jquery.js" is "jquery" with "-js" added
	// lodash: not confusable
}
