package district

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func containsPoint(a area, p orb.Point) bool { return planar.MultiPolygonContains(a.shape, p) }
