package district

import "testing"

func TestLocate(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		lat, lng float64
		want     string
	}{
		{"Torgallmenningen is in Bergenhus", 60.3929, 5.3241, "bergenhus"},
		{"Arna Søm og Strikk at Lagunen is in Fana despite its name", 60.2968, 5.3303, "fana"},
		{"Åsane senter", 60.4656, 5.3224, "asane"},
		{"Arna station", 60.4197, 5.4676, "arna"},
		{"Fyllingsdalen senter", 60.3489, 5.2909, "fyllingsdalen"},
		{"Loddefjord", 60.3617, 5.2336, "laksevag"},
		{"Flesland airport", 60.2934, 5.2181, "ytrebygda"},
		{"Danmarksplass", 60.3757, 5.3432, "arstad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := m.Locate(tt.lat, tt.lng)
			if !ok || got.Slug != tt.want {
				t.Errorf("Locate(%v, %v) = %q, %v; want %q", tt.lat, tt.lng, got.Slug, ok, tt.want)
			}
		})
	}
}

func TestLocateOutsideBergen(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][2]float64{{59.9139, 10.7522} /* Oslo */, {60.39, 5.10} /* sea west of Sotra */, {0, 0}} {
		if d, ok := m.Locate(p[0], p[1]); ok {
			t.Errorf("Locate(%v) = %q, want outside Bergen", p, d.Slug)
		}
	}
}

// A vertex shared by two districts lies inside both polygons; the answer
// must be the lower SSB number every time.
func TestLocateSharedBorderIsDeterministic(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	shared := 0
	for i, a := range m.areas {
		for _, ring := range a.shape[0] {
			for _, p := range ring {
				var inside []string
				for _, b := range m.areas {
					if b.bound.Contains(p) && containsPoint(b, p) {
						inside = append(inside, b.Number)
					}
				}
				if len(inside) < 2 {
					continue
				}
				shared++
				got, _ := m.Locate(p[1], p[0])
				if got.Number != inside[0] {
					t.Fatalf("vertex %v of %s is in %v; Locate = %s, want the lowest %s", p, m.areas[i].Slug, inside, got.Number, inside[0])
				}
			}
		}
	}
	if shared == 0 {
		t.Fatal("found no shared border vertex; the test checks nothing")
	}
}

func TestGeoJSONHasSlugs(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range m.All() {
		if _, ok := m.Lookup(d.Slug); !ok {
			t.Errorf("Lookup(%q) failed", d.Slug)
		}
	}
	if got := len(m.All()); got != 8 {
		t.Errorf("len(All()) = %d, want 8", got)
	}
}
