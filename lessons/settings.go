package lessons

import (
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/chanjo-health/chanjo/lessons/stock"
)

// settings reads settings.yaml: the languages, the placeholders, the stock
// policy, the vaccines and the topics. The languages and placeholders are
// read first, wherever they stand, since every text depends on them.
func (l *loader) settings(d decoder, n *yaml.Node) {
	first := map[string]func(*yaml.Node){
		"languages":    func(v *yaml.Node) { l.languages(d, v) },
		"placeholders": func(v *yaml.Node) { l.placeholders(d, v) },
		"typed_words":  func(v *yaml.Node) { d.list(v, func(w *yaml.Node) { l.typedWord(d, w) }) },
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if f, ok := first[n.Content[i].Value]; ok {
				f(n.Content[i+1])
			}
		}
	}
	if len(l.pack.Settings.Languages) == 0 {
		d.problem(n, "no languages: declare them as languages: {en: English, sw: Kiswahili}")
	}
	l.pack.Settings.VisitTime = Clock{Hour: 9}
	d.fields(n, map[string]func(*yaml.Node){
		"visit_time": func(v *yaml.Node) {
			if c, ok := parseClock(d.str(v)); ok {
				l.pack.Settings.VisitTime = c
			} else {
				d.problem(v, "visit_time %q: give hours and minutes, e.g. \"09:00\"", v.Value)
			}
		},
		"languages":    func(*yaml.Node) {},
		"placeholders": func(*yaml.Node) {},
		"typed_words":  func(*yaml.Node) {},
		"stock_policy": func(v *yaml.Node) { l.pack.Settings.StockPolicy = l.policy(d, v) },
		"vaccines":     func(v *yaml.Node) { d.list(v, func(item *yaml.Node) { l.vaccine(d, item) }) },
		"topics":       func(v *yaml.Node) { d.list(v, func(item *yaml.Node) { l.topicDef(d, item) }) },
		"privacy_notice": func(v *yaml.Node) {
			l.pack.Settings.PrivacyNotice = d.text(v)
			d.limitText(v, "privacy_notice", l.pack.Settings.PrivacyNotice, smsLen)
		},
		"whatsapp_templates": func(v *yaml.Node) { l.pack.Settings.WhatsAppTemplates = l.templates(d, v) },
	}, "privacy_notice", "placeholders", "typed_words", "whatsapp_templates", "visit_time")
	if len(l.pack.Topics) == 0 {
		d.problem(n, "no topics")
	}
}

// templateName is the form Meta accepts for a template's name.
var templateName = regexp.MustCompile(`^[a-z0-9_]{1,512}$`)

// templates reads whatsapp_templates: for each of TemplateKinds, the
// template's name and its language code in each language.
func (l *loader) templates(d decoder, n *yaml.Node) map[string]WhatsAppTemplate {
	out := map[string]WhatsAppTemplate{}
	spec := map[string]func(*yaml.Node){}
	for _, kind := range TemplateKinds {
		spec[kind] = func(v *yaml.Node) {
			t := WhatsAppTemplate{Category: "utility"}
			d.fields(v, map[string]func(*yaml.Node){
				"name": func(x *yaml.Node) {
					if t.Name = d.str(x); !templateName.MatchString(t.Name) {
						d.problem(x, "template name %q: Meta's names are lowercase letters, digits and underscores", t.Name)
					}
				},
				"language": func(x *yaml.Node) { t.Language = d.text(x) },
				"category": func(x *yaml.Node) {
					if t.Category = d.str(x); !slices.Contains(TemplateCategories, t.Category) {
						d.problem(x, "template category %q: Meta's are %s", t.Category, strings.Join(TemplateCategories, ", "))
					}
				},
			}, "category")
			out[kind] = t
		}
	}
	d.fields(n, spec)
	return out
}

func (l *loader) policy(d decoder, n *yaml.Node) stock.Policy {
	var p stock.Policy
	d.fields(n, map[string]func(*yaml.Node){
		"supply_months":   func(v *yaml.Node) { p.SupplyMonths = d.float(v) },
		"safety_fraction": func(v *yaml.Node) { p.SafetyFraction = d.float(v) },
		"lead_days":       func(v *yaml.Node) { p.LeadDays = d.int(v) },
	})
	if err := p.Validate(); err != nil && n.Kind == yaml.MappingNode {
		d.problem(n, "stock policy: %v", err)
	}
	return p
}

func (l *loader) vaccine(d decoder, n *yaml.Node) {
	var v stock.Vaccine
	d.fields(n, map[string]func(*yaml.Node){
		"id":                 func(x *yaml.Node) { v.ID = d.id(x) },
		"name":               func(x *yaml.Node) { v.Name = d.phrase(x, "name") },
		"doses_per_vial":     func(x *yaml.Node) { v.DosesPerVial = d.int(x) },
		"wastage":            func(x *yaml.Node) { v.Wastage = d.float(x) },
		"acceptable_wastage": func(x *yaml.Node) { v.Acceptable = d.float(x) },
		"keep_open_days":     func(x *yaml.Node) { v.KeepOpenDays = d.int(x) },
	}, "acceptable_wastage", "keep_open_days")
	// docs/domain.md: without an acceptable rate of its own a vaccine is judged
	// at the indicative rate; without an open-vial rule it is discarded
	// after the session, the rule that never counts a dose twice.
	if v.Acceptable == 0 {
		v.Acceptable = v.Wastage
	}
	if err := v.Validate(); err != nil && n.Kind == yaml.MappingNode {
		d.problem(n, "vaccine %q: %v", v.ID, err)
	}
	for _, o := range l.pack.Settings.Vaccines {
		if o.ID == v.ID {
			d.problem(n, "duplicate vaccine %q", v.ID)
		}
	}
	l.pack.Settings.Vaccines = append(l.pack.Settings.Vaccines, v)
}

func (l *loader) topicDef(d decoder, n *yaml.Node) {
	var t Topic
	idNode := n
	d.fields(n, map[string]func(*yaml.Node){
		"id":    func(v *yaml.Node) { t.ID = d.id(v); idNode = v },
		"title": func(v *yaml.Node) { t.Title = d.text(v); d.limitText(v, "title", t.Title, maxTitle) },
	})
	if _, dup := l.topics[t.ID]; dup {
		d.problem(idNode, "duplicate topic %q", t.ID)
		return
	}
	l.topics[t.ID] = d.at(idNode)
	l.pack.Topics = append(l.pack.Topics, t)
}

// reminder reads one reminder rule; its "when" fields depend on the rule.
func (l *loader) reminder(d decoder, n *yaml.Node) {
	r := Reminder{limits: l.pack.Settings.Placeholders}
	var spec ruleSpec
	var whenNode, textNode, mentorNode *yaml.Node
	d.fields(n, map[string]func(*yaml.Node){
		"id":          func(v *yaml.Node) { r.ID = l.ruleID(d, v); spec = ruleSpecs[r.ID] },
		"when":        func(v *yaml.Node) { whenNode = v },
		"text":        func(v *yaml.Node) { r.Text = d.text(v); textNode = v },
		"mentor_text": func(v *yaml.Node) { r.MentorText = d.text(v); mentorNode = v },
	}, "mentor_text")
	if whenNode != nil && spec.when != "" {
		r.When = l.when(d, whenNode, spec.when)
	}
	if textNode != nil && r.ID != "" {
		l.reminderText(d, textNode, r, spec)
	}
	switch {
	case mentorNode == nil || r.ID == "":
	case r.ID != VisitBefore:
		d.problem(mentorNode, "mentor_text: only rule %s goes to mentors", VisitBefore)
	default:
		l.reminderText(d, mentorNode, r.ForMentor(), spec)
	}
	l.pack.Reminders = append(l.pack.Reminders, r)
}

func (l *loader) ruleID(d decoder, n *yaml.Node) string {
	id := l.newID(d, n)
	if _, ok := ruleSpecs[id]; !ok {
		d.problem(n, "unknown reminder rule %q (rules: %s)", id, strings.Join(ReminderRules, ", "))
		return ""
	}
	return id
}

func (l *loader) when(d decoder, n *yaml.Node, dayField string) When {
	var w When
	days := map[string]*int{"days_before_visit": &w.DaysBeforeVisit,
		"days_after_visit": &w.DaysAfterVisit, "days_inactive": &w.DaysInactive}
	spec := map[string]func(*yaml.Node){
		"at": func(v *yaml.Node) {
			c, ok := parseClock(d.str(v))
			if !ok {
				d.problem(v, "at %q: want a time of day such as \"08:00\"", v.Value)
			}
			w.At = c
		},
	}
	if dayField == "weekday" {
		spec[dayField] = func(v *yaml.Node) {
			day, ok := parseWeekday(d.str(v))
			if !ok {
				d.problem(v, "weekday %q: want a day such as tuesday", v.Value)
			}
			w.Weekday = day
		}
	} else {
		spec[dayField] = func(v *yaml.Node) {
			if *days[dayField] = d.int(v); *days[dayField] < 1 {
				d.problem(v, "%s: want 1 or more days", dayField)
			}
		}
	}
	d.fields(n, spec)
	return w
}

// languages reads the languages a nurse may choose: code -> the language's
// name in itself, in menu order.
func (l *loader) languages(d decoder, n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		d.problem(n, "want a mapping of language codes to names, found %s", kindName(n))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !langPattern.MatchString(k.Value) {
			d.problem(k, "language %q: use its ISO 639 code in lowercase (sw, kam)", k.Value)
			continue
		}
		if slices.ContainsFunc(l.pack.Settings.Languages, func(x Language) bool { return x.Code == k.Value }) {
			d.problem(k, "language %q given twice", k.Value)
			continue
		}
		l.pack.Settings.Languages = append(l.pack.Settings.Languages, Language{Code: k.Value, Name: d.phrase(v, k.Value)})
	}
}

var langPattern = regexp.MustCompile(`^[a-z]{2,3}$`)

// placeholders reads the longest value of each <name>: name -> characters.
func (l *loader) placeholders(d decoder, n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		d.problem(n, "want a mapping of placeholder names to lengths, found %s", kindName(n))
		return
	}
	limits := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !placeholderName.MatchString(k.Value) {
			d.problem(k, "placeholder %q: use lowercase letters and underscores", k.Value)
		}
		if limits[k.Value] = d.int(v); limits[k.Value] < 0 {
			d.problem(v, "placeholder %s: want its longest value's length, or 0 for a text the code fits", k.Value)
		}
	}
	l.pack.Settings.Placeholders = limits
}

var placeholderName = regexp.MustCompile(`^[a-z_]+$`)

// typedWord reads one of typed_words: a <word> a text shows as written, for
// the nurse to replace with her own ("reply A12 <answer>"). Declaring them
// lets the lint refuse every other undeclared <word>, which is a misspelt
// placeholder a nurse would otherwise read as it stands.
func (l *loader) typedWord(d decoder, n *yaml.Node) {
	w := d.str(n)
	_, param := l.pack.Settings.Placeholders[w]
	switch {
	case !placeholderName.MatchString(w):
		d.problem(n, "typed word %q: use lowercase letters and underscores", w)
	case param:
		d.problem(n, "typed word %q is also a placeholder: a <word> is one or the other", w)
	default:
		l.typed = append(l.typed, w)
	}
}

// reminderText checks the placeholders of a rule's text and that it fits
// one SMS once they are filled with their longest values.
func (l *loader) reminderText(d decoder, n *yaml.Node, r Reminder, spec ruleSpec) {
	for _, lang := range codes(l.pack.Settings.Languages) {
		s := r.Text.In(lang)
		for _, m := range placeholderPattern.FindAllStringSubmatch(s, -1) {
			if !slices.Contains(spec.placeholders, m[1]) {
				d.problem(n, "%s: placeholder <%s> is not filled for rule %s (use: <%s>)",
					lang, m[1], r.ID, strings.Join(spec.placeholders, ">, <"))
			}
		}
		d.limit(n, "reminder SMS with the longest values filled in", lang, longest(s, l.pack.Settings.Placeholders), smsLen)
	}
}

// Stock is what the stock calculators' defaults come from: the pack's
// policy and vaccines, the defaults of package stock where it has none.
func (s Settings) Stock() stock.Settings { return stock.NewSettings(s.StockPolicy, s.Vaccines) }
