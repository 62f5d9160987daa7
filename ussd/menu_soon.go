package ussd

// soonTree holds the main-menu items whose features come later: each shows a
// short "coming soon" screen with Back and Home. A feature that arrives
// removes its entry here and adds its own tree (see trees.go).
var soonTree = []Node{
	{State: StAsk, Show: soon("Ask a mentor is coming soon to Chanjo.", "Uliza mshauri inakuja hivi karibuni kwenye Chanjo.")},
	{State: StVisit, Show: soon("Mentor visits are coming soon to Chanjo.", "Ziara za ushauri zinakuja hivi karibuni kwenye Chanjo.")},
}

func soon(en, sw string) func(c *Ctx) (Screen, error) {
	return func(c *Ctx) (Screen, error) { return Menu(c.T(en, sw)), nil }
}
