package intel

import (
	nosanajobschema "github.com/jobkit-dev/jobkit/core/nosana/jobschema"
	"github.com/jobkit-dev/jobkit/core/schema"
)

// nosanaSchema returns the compiled Nosana job schema.
func nosanaSchema() *schema.Schema { return nosanajobschema.Schema() }
