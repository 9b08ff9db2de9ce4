package listing

import (
	"errors"

	"github.com/bergenreparerer/reparerer/internal/apperr"
)

func asAppErr(err error, target **apperr.Error) bool { return errors.As(err, target) }
