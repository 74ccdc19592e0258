//! A deterministic synthetic Praxis site for the build benchmark.
//!
//! [`generate`] writes `site.toml` and `content/` for a site of N pages:
//! about 10% techniques, 10% clinical applications, 10% FAQ pages and the
//! rest articles. Text comes from hand-written physical-therapy word and
//! sentence lists driven by a seeded splitmix64 generator, so the same
//! `(pages, seed)` always gives byte-identical files.
//!
//! Every cross-reference points at something that exists: slugs are unique
//! across kinds (techniques `t-...`, applications `a-...`, articles `art-...`,
//! FAQ pages `faq-...`), `parent` always names an earlier application (no
//! cycles), and `[[slug#overview]]` targets the fixed first heading
//! (`## Overview`) of every technique and application page.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// splitmix64: tiny, fast and good enough for picking words.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with the given probability in percent.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// `k` distinct indices in `0..n` (fewer when `n < k`), in pick order.
    pub fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let k = k.min(n);
        let mut chosen = Vec::with_capacity(k);
        while chosen.len() < k {
            let i = self.below(n);
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen
    }
}

/// What [`generate`] wrote.
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary {
    pub pages: usize,
    pub techniques: usize,
    pub applications: usize,
    pub articles: usize,
    pub faqs: usize,
    /// Words in page bodies.
    pub words: usize,
    /// Bytes of every file written.
    pub bytes: u64,
}

// ---------------------------------------------------------------------------
// Word lists

const TECHNIQUES: &[(&str, &[&str])] = &[
    ("Mirror Therapy", &["mirror box therapy"]),
    ("Neuromuscular Electrical Stimulation", &["NMES", "e-stim"]),
    ("Functional Electrical Stimulation", &["FES"]),
    ("Constraint-Induced Movement Therapy", &["CIMT"]),
    ("Proprioceptive Neuromuscular Facilitation", &["PNF"]),
    ("Task-Specific Training", &["task practice"]),
    ("Motor Imagery", &["mental practice"]),
    ("Biofeedback", &["EMG biofeedback"]),
    ("Balance Training", &["balance exercises"]),
    ("Vestibular Rehabilitation", &["VRT"]),
    ("Perturbation Training", &[]),
    ("Gait Training", &["walking practice"]),
    ("Body-Weight-Supported Treadmill Training", &["BWSTT"]),
    ("Aquatic Therapy", &["hydrotherapy", "pool therapy"]),
    ("Manual Therapy", &[]),
    ("Joint Mobilization", &["joint mobilisation"]),
    ("Soft Tissue Mobilization", &["STM"]),
    ("Dry Needling", &[]),
    ("Therapeutic Ultrasound", &[]),
    ("Progressive Resistance Training", &["PRT", "strength training"]),
    ("Eccentric Strengthening", &["eccentric loading"]),
    ("Blood Flow Restriction Training", &["BFR"]),
    ("Core Stabilization", &["core stability training"]),
    ("Motor Control Exercise", &[]),
    ("Graded Activity", &["graded exposure"]),
    ("Graded Motor Imagery", &["GMI"]),
    ("Pain Neuroscience Education", &["PNE", "pain education"]),
    ("Kinesio Taping", &["elastic taping"]),
    ("Cryotherapy", &["ice therapy"]),
    ("Continuous Passive Motion", &["CPM"]),
    ("Plyometric Training", &["jump training"]),
    ("Neurodevelopmental Treatment", &["NDT", "Bobath concept"]),
    ("Virtual Reality Training", &["VR rehab"]),
    ("Robot-Assisted Gait Training", &["RAGT"]),
    ("Dual-Task Training", &[]),
    ("Inspiratory Muscle Training", &["IMT"]),
    ("Canalith Repositioning", &["Epley maneuver"]),
    ("Static Stretching", &[]),
    ("Nerve Gliding", &["neural mobilization"]),
    ("Transcutaneous Electrical Nerve Stimulation", &["TENS"]),
];

const APPLICATIONS: &[(&str, &[&str])] = &[
    ("Neurological Disorders", &[]),
    ("Stroke", &["CVA", "cerebrovascular accident"]),
    ("Total Knee Replacement", &["TKR", "knee arthroplasty"]),
    ("Total Hip Replacement", &["THR", "hip arthroplasty"]),
    ("ACL Reconstruction", &["ACLR"]),
    ("Chronic Low Back Pain", &["CLBP"]),
    ("Neck Pain", &[]),
    ("Parkinson's Disease", &["Parkinsonism"]),
    ("Multiple Sclerosis", &[]),
    ("Spinal Cord Injury", &["SCI"]),
    ("Traumatic Brain Injury", &["TBI"]),
    ("Rotator Cuff Tendinopathy", &["rotator cuff tendinitis"]),
    ("Frozen Shoulder", &["adhesive capsulitis"]),
    ("Ankle Sprain", &["rolled ankle"]),
    ("Plantar Fasciitis", &["plantar heel pain"]),
    ("Knee Osteoarthritis", &["knee OA"]),
    ("Hip Osteoarthritis", &["hip OA"]),
    ("Patellofemoral Pain", &["runner's knee"]),
    ("Achilles Tendinopathy", &[]),
    ("Tennis Elbow", &["lateral epicondylalgia"]),
    ("Carpal Tunnel Syndrome", &["CTS"]),
    ("Complex Regional Pain Syndrome", &["CRPS"]),
    ("Benign Paroxysmal Positional Vertigo", &["BPPV"]),
    ("Fall Prevention", &[]),
    ("Cerebral Palsy", &[]),
    ("Osteoporosis", &[]),
    ("Fibromyalgia", &[]),
    ("COPD", &["pulmonary rehabilitation"]),
    ("Cardiac Rehabilitation", &["cardiac rehab"]),
    ("Post-Surgical Rehabilitation", &["post-op rehab"]),
    ("Sports Injuries", &[]),
    ("Whiplash", &["whiplash-associated disorder"]),
    ("Temporomandibular Disorder", &["TMD"]),
    ("Scoliosis", &[]),
    ("Lymphedema", &[]),
    ("Pelvic Floor Dysfunction", &[]),
    ("Guillain-Barre Syndrome", &["GBS"]),
    ("Peripheral Neuropathy", &[]),
    ("Lower Limb Amputation", &["amputee rehabilitation"]),
    ("Concussion", &["mild TBI"]),
    ("Hamstring Strain", &["pulled hamstring"]),
];

const WHO: &[&str] = &[
    "patients",
    "older adults",
    "people after a stroke",
    "runners",
    "office workers",
    "people with knee osteoarthritis",
    "athletes returning to sport",
    "caregivers",
    "people living with Parkinson's disease",
    "new parents",
];

const EXERCISES: &[&str] = &[
    "sit-to-stand practice",
    "heel raises",
    "mini squats",
    "straight leg raises",
    "bridging",
    "step-ups",
    "wall push-ups",
    "tandem walking",
    "single-leg stance",
    "clamshells",
    "quad sets",
    "ankle pumps",
    "shoulder blade squeezes",
    "seated marching",
    "heel slides",
    "side-lying hip abduction",
    "calf stretches",
    "chin tucks",
    "bird dogs",
    "dead bugs",
    "split squats",
    "wall slides",
    "reaching tasks",
    "grip strengthening",
    "finger tapping",
    "terminal knee extension",
    "pendulum swings",
    "toe taps on a step",
];

const MUSCLES: &[&str] = &[
    "quadriceps",
    "hamstrings",
    "gluteal muscles",
    "calf muscles",
    "rotator cuff",
    "deep neck flexors",
    "core muscles",
    "hip abductors",
    "wrist extensors",
    "tibialis anterior",
    "scapular stabilizers",
];

const JOINTS: &[&str] = &[
    "knee",
    "hip",
    "ankle",
    "shoulder",
    "elbow",
    "wrist",
    "lower back",
    "neck",
    "spine",
    "foot",
];

const EVENTS: &[&str] = &[
    "a stroke",
    "knee replacement surgery",
    "hip replacement surgery",
    "an ACL reconstruction",
    "an ankle sprain",
    "a fall",
    "a spinal cord injury",
    "a long hospital stay",
    "rotator cuff repair",
    "a concussion",
    "a hamstring strain",
];

const FREQUENCIES: &[&str] = &[
    "twice a day",
    "once a day",
    "three times a week",
    "every other day",
    "five days a week",
    "after each meal",
];

const MILESTONES: &[&str] = &[
    "walk without a cane",
    "bend the knee to 90 degrees",
    "stand on one leg for ten seconds",
    "climb stairs step over step",
    "lift your arm above shoulder height",
    "get up from a chair without using your hands",
    "walk for twenty minutes without a break",
    "hop on the operated leg without pain",
];

const GOALS: &[&str] = &[
    "restore full knee extension",
    "reduce swelling and protect the healing tissue",
    "improve walking speed",
    "regain confidence on uneven ground",
    "build endurance for daily tasks",
    "return to running",
    "improve hand function for dressing and eating",
    "reduce the risk of falls",
    "rebuild strength around the joint",
    "calm a sensitive nervous system",
];

const EQUIPMENT: &[&str] = &[
    "resistance band",
    "sturdy chair",
    "foam pad",
    "light dumbbell",
    "low step",
    "balance board",
    "walking pole",
    "treadmill",
    "exercise ball",
    "kitchen counter",
    "mirror box",
    "stimulation unit",
];

const WARNINGS: &[&str] = &[
    "sharp pain",
    "chest pain",
    "sudden dizziness",
    "numbness that spreads",
    "calf pain and swelling",
    "new weakness",
    "a racing heartbeat",
];

const MEASURES: &[&str] = &[
    "range of motion",
    "walking speed",
    "grip strength",
    "the Timed Up and Go test",
    "the Berg Balance Scale",
    "single-leg stance time",
    "the six-minute walk distance",
    "the number of sit-to-stands in thirty seconds",
];

const SENTENCES: &[&str] = &[
    "Most {who} start with {sets} sets of {reps} repetitions of {ex}, resting about {rest} seconds between sets.",
    "Practising {ex} builds strength in the {muscle} and helps protect the {joint}.",
    "After {event}, your therapist may add {ex} once you can {milestone}.",
    "Keep your {joint} in line with your toes and move slowly through the range you can control.",
    "Balance work usually moves from a wide stance to a narrow stance, then to standing on one leg.",
    "Pain up to {pain} out of 10 during exercise is usually acceptable if it settles within {hours} hours.",
    "Practice {ex} {freq}, and write down how many repetitions you managed.",
    "The goal of this phase is to {goal}.",
    "Swelling around the {joint} tends to limit motion in the first weeks after surgery.",
    "Research suggests that repeated, task-specific practice drives recovery after {event}.",
    "Use a {equip} to make {ex} easier at first, and remove it as you get stronger.",
    "If you feel {warning}, stop the exercise and contact your clinician.",
    "Your therapist will measure {measure} at the start and again every few weeks.",
    "Small daily gains add up: {ex} for {minutes} minutes a day is a good start.",
    "Many {who} find {ex} easier with a {equip} nearby for support.",
    "Strong {muscle} take load off the {joint} during walking and stair climbing.",
    "Do not hold your breath; breathe out as you push and breathe in as you return.",
    "Progress one thing at a time: more repetitions, more resistance, or a harder position.",
    "Rest days matter, because tissues adapt between sessions rather than during them.",
    "For {who}, the first aim is often to {goal}.",
    "A short warm-up of {warmup} minutes on a bike or treadmill prepares the {joint} for loading.",
    "Slow, controlled movement trains the {muscle} better than fast swinging.",
    "Stand near a {equip} during balance practice so you can steady yourself if needed.",
    "Recovery after {event} is rarely a straight line, and setbacks are common.",
    "Good sleep, regular meals and staying active all help the body heal.",
    "Once you can do {reps} repetitions of {ex} with ease, add a {equip} or slow the movement down.",
    "Clinicians often track {measure} to decide when to progress the program.",
    "The brain relearns movement through repetition, attention and feedback.",
    "Numbness, tingling or weakness that gets worse should always be checked by a clinician.",
    "A home program of {ex} and {ex2} can be done in under {minutes} minutes.",
    "Ask your therapist how to adapt {ex} if your {joint} feels stiff in the morning.",
    "Most people notice a change in {measure} within four to eight weeks of regular practice.",
];

const H2: &[&str] = &[
    "What It Is",
    "Who It Helps",
    "How It Works",
    "What to Expect",
    "Getting Started",
    "Exercises to Try",
    "Progressing Safely",
    "Common Mistakes",
    "When to Call Your Therapist",
    "The Evidence",
    "Home Program",
    "Key Principles",
    "Safety Tips",
    "Measuring Progress",
    "Returning to Activity",
    "Balance and Falls",
    "Strength and Endurance",
    "Tips for Caregivers",
    "Recovery Timeline",
    "Details People Miss",
];

const H3: &[&str] = &[
    "Week 1 to 2",
    "Week 3 to 6",
    "Beyond Week 6",
    "Equipment",
    "Dosage",
    "Modifications",
    "At Home",
    "In the Clinic",
    "Warning Signs",
    "Example Session",
];

const QUESTIONS: &[&str] = &[
    "How often should I do my exercises?",
    "Is it normal to feel sore after therapy?",
    "How long does recovery take?",
    "Can I do this at home?",
    "Do I need a referral?",
    "What should I wear to my appointment?",
    "Will my insurance cover this?",
    "When can I drive again?",
    "Should I use ice or heat?",
    "What if the exercises hurt?",
    "How do I know I am making progress?",
    "Can I return to sports?",
    "Is this safe if I have osteoporosis?",
    "How many visits will I need?",
];

const ARTICLE_TITLES: &[&str] = &[
    "How {tech} Helps After {app}",
    "A Beginner's Guide to {tech}",
    "What to Expect in the First Weeks After {app}",
    "{n} Home Exercises for {app}",
    "Myths and Facts About {tech}",
    "Getting Back to Walking After {app}",
    "What the Research Says About {tech}",
    "Balance, Strength and Confidence With {app}",
    "Choosing Between {tech} and {tech2}",
    "A Caregiver's Guide to {app}",
];

const FAQ_TOPICS: &[&str] = &[
    "Your First Visit",
    "Home Exercise Programs",
    "Pain During Therapy",
    "Insurance and Billing",
    "Recovery After Surgery",
    "Balance and Dizziness",
    "Returning to Sport",
    "Telehealth Visits",
    "Equipment at Home",
    "Stroke Recovery",
];

const CATEGORIES: &[&str] = &[
    "Neurological Rehab",
    "Orthopedics",
    "Sports",
    "Balance and Falls",
    "Pain",
    "Home Exercise",
    "Research",
];

const TAGS: &[&str] = &[
    "exercise",
    "balance",
    "strength",
    "stroke",
    "knee",
    "hip",
    "shoulder",
    "back pain",
    "walking",
    "falls",
    "surgery",
    "older adults",
    "home program",
    "electrical stimulation",
    "manual therapy",
    "running",
    "vestibular",
    "hand function",
];

const AUTHORS: &[&str] = &[
    "Maya Chen, PT, DPT",
    "Luis Brennan, PT, DPT, NCS",
    "Priya Natarajan, PT",
    "Tom Okafor, PTA",
    "Hannah Lindqvist, PT, OCS",
    "Daniel Reyes, PT, DPT",
];

const BODY_REGIONS: &[&str] = &[
    "knee",
    "hip",
    "ankle",
    "shoulder",
    "hand-and-wrist",
    "lower-back",
    "neck",
    "whole-body",
    "elbow",
    "foot",
];

const AUDIENCES: &[&str] = &["patients", "clinicians", "everyone"];

const JOURNALS: &[&str] = &[
    "Physical Therapy",
    "Journal of Orthopaedic and Sports Physical Therapy",
    "Stroke",
    "Archives of Physical Medicine and Rehabilitation",
    "Clinical Rehabilitation",
];

// ---------------------------------------------------------------------------
// The catalogue of pages, chosen before any text is written

struct Entity {
    slug: String,
    title: String,
    synonyms: Vec<String>,
}

struct Catalogue {
    techniques: Vec<Entity>,
    applications: Vec<Entity>,
    /// Application index -> parent application index (always smaller).
    parents: Vec<Option<usize>>,
}

/// `Key Principles` -> `key-principles` (ASCII input only).
fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    slug
}

/// The `i`-th entity of a base list: the base names first, then numbered
/// protocol variants so titles, synonyms and slugs stay unique.
fn entity(base: &[(&str, &[&str])], i: usize, prefix: &str) -> Entity {
    let (name, synonyms) = base[i % base.len()];
    let round = i / base.len();
    let (title, synonyms) = if round == 0 {
        (name.to_string(), synonyms.iter().map(|s| s.to_string()).collect())
    } else {
        let k = round + 1;
        (
            format!("{name}, Protocol {k}"),
            synonyms.iter().map(|s| format!("{s} protocol {k}")).collect(),
        )
    };
    Entity {
        slug: format!("{prefix}-{}", slugify(&title)),
        title,
        synonyms,
    }
}

impl Catalogue {
    fn new(rng: &mut Rng, techniques: usize, applications: usize) -> Catalogue {
        let techniques = (0..techniques).map(|i| entity(TECHNIQUES, i, "t")).collect();
        let applications: Vec<Entity> = (0..applications).map(|i| entity(APPLICATIONS, i, "a")).collect();
        let parents = (0..applications.len())
            .map(|i| (i > 0 && rng.chance(30)).then(|| rng.below(i)))
            .collect();
        Catalogue {
            techniques,
            applications,
            parents,
        }
    }
}

// ---------------------------------------------------------------------------
// Text

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// Fills the `{slot}`s of a template; `{Ex}` is `{ex}` capitalized.
fn fill(rng: &mut Rng, template: &str, out: &mut String) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').expect("closed slot");
        let key = &rest[open + 1..close];
        let word: String = match key {
            "who" => rng.pick(WHO).to_string(),
            "ex" | "ex2" => rng.pick(EXERCISES).to_string(),
            "Ex" => capitalize(rng.pick(EXERCISES)),
            "muscle" => rng.pick(MUSCLES).to_string(),
            "joint" => rng.pick(JOINTS).to_string(),
            "event" => rng.pick(EVENTS).to_string(),
            "freq" => rng.pick(FREQUENCIES).to_string(),
            "milestone" => rng.pick(MILESTONES).to_string(),
            "goal" => rng.pick(GOALS).to_string(),
            "equip" => rng.pick(EQUIPMENT).to_string(),
            "warning" => rng.pick(WARNINGS).to_string(),
            "measure" => rng.pick(MEASURES).to_string(),
            "sets" => rng.range(2, 4).to_string(),
            "warmup" => rng.pick(&[5, 8, 10]).to_string(),
            "reps" => rng.pick(&[5, 8, 10, 12, 15]).to_string(),
            "rest" => rng.pick(&[30, 45, 60, 90]).to_string(),
            "pain" => rng.range(2, 5).to_string(),
            "hours" => rng.pick(&[12, 24, 48]).to_string(),
            "minutes" => rng.pick(&[5, 10, 15, 20, 30]).to_string(),
            other => panic!("unknown slot {other}"),
        };
        out.push_str(&word);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
}

fn sentence(rng: &mut Rng) -> String {
    let template = rng.pick(SENTENCES);
    let mut out = String::new();
    fill(rng, template, &mut out);
    out
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// A TOML basic string.
fn toml_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_list<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| toml_str(s.as_ref())).collect();
    format!("[{}]", quoted.join(", "))
}

/// A valid date between 2024-01-01 and 2026-12-31, as `YYYY-MM-DD`.
fn date(rng: &mut Rng) -> String {
    let year = rng.range(2024, 2026);
    let month = rng.range(1, 12);
    let days = match month {
        2 if year.is_multiple_of(4) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let day = rng.range(1, days);
    format!("{year:04}-{month:02}-{day:02}")
}

fn pick_distinct<'a>(rng: &mut Rng, items: &[&'a str], k: usize) -> Vec<&'a str> {
    rng.distinct(items.len(), k).into_iter().map(|i| items[i]).collect()
}

fn table(rng: &mut Rng) -> String {
    let mut out = String::from("| Phase | Focus | Example exercise | Dosage |\n|---|---|---|---|");
    let rows = rng.range(3, 4);
    for phase in ["Early", "Middle", "Late", "Return to activity"].iter().take(rows) {
        let _ = write!(
            out,
            "\n| {phase} | {} | {} | {} x {} |",
            capitalize(rng.pick(GOALS)),
            capitalize(rng.pick(EXERCISES)),
            rng.range(2, 4),
            rng.pick(&[5, 8, 10, 12, 15]),
        );
    }
    out
}

fn code_block(rng: &mut Rng) -> String {
    if rng.chance(50) {
        format!(
            "```toml\n# home program, week {}\n[[exercise]]\nname = \"{}\"\nsets = {}\nreps = {}\nrest_seconds = {}\n\n[[exercise]]\nname = \"{}\"\nminutes = {}\n```",
            rng.range(1, 12),
            rng.pick(EXERCISES),
            rng.range(2, 4),
            rng.pick(&[5, 8, 10, 12, 15]),
            rng.pick(&[30, 45, 60, 90]),
            rng.pick(EXERCISES),
            rng.pick(&[5, 10, 15, 20]),
        )
    } else {
        format!(
            "```python\ndef reps_for_week(week: int, start: int = {}) -> int:\n    \"\"\"Adds two repetitions a week, capped at {}.\"\"\"\n    return min(start + 2 * (week - 1), {})\n\n\nfor week in range(1, {}):\n    print(f\"week {{week}}: {{reps_for_week(week)}} reps of {}\")\n```",
            rng.pick(&[5, 6, 8]),
            rng.pick(&[12, 15, 20]),
            rng.pick(&[12, 15, 20]),
            rng.range(4, 9),
            rng.pick(EXERCISES),
        )
    }
}

/// A sentence holding a `[[...]]` link to a technique or application.
fn link_sentence(rng: &mut Rng, target: &Entity) -> String {
    let link = match rng.below(10) {
        0 | 1 => format!("[[{}#overview]]", target.slug),
        2 => format!("[[{}|this approach]]", target.slug),
        3 => format!(
            "[[{}#overview|the overview of {}]]",
            target.slug,
            target.title.to_lowercase()
        ),
        _ => format!("[[{}]]", target.slug),
    };
    match rng.below(4) {
        0 => format!("Read more about {link}."),
        1 => format!("This builds on what we cover in {link}."),
        2 => format!("Your therapist may combine this with {link} when it fits your goals."),
        _ => format!("For background, see {link}."),
    }
}

/// What a page body needs to know besides the word lists.
struct BodySpec<'a> {
    /// Techniques and applications start with `## Overview`.
    overview: bool,
    /// Link targets; each becomes one sentence somewhere in the body.
    links: Vec<&'a Entity>,
}

/// Appends `text` and a blank line, counting its words.
fn emit(out: &mut String, count: &mut usize, text: &str) {
    *count += words(text);
    out.push_str(text);
    out.push_str("\n\n");
}

/// 300-900 words (every whitespace-separated token of the body counts, so
/// headings, lists, tables and code too), 3-6 `##` sections, some `###`,
/// bullet lists, maybe a table and a code block. Returns the markdown and
/// its word count.
fn body(rng: &mut Rng, spec: &BodySpec) -> (String, usize) {
    // Link sentences and the last sentence may overshoot a little.
    let target = rng.range(300, 820);
    let sections = rng.range(3, 6);
    let headings = pick_distinct(rng, H2, sections);
    let with_table = rng.chance(15).then(|| rng.below(sections));
    let with_code = rng.chance(10).then(|| rng.below(sections));

    // Which paragraph (counted over the whole page) carries each link.
    let mut link_slots: Vec<(usize, &Entity)> = spec.links.iter().map(|t| (rng.below(sections * 2), *t)).collect();
    link_slots.sort_by_key(|(slot, _)| *slot);
    let mut link_slots = link_slots.into_iter().peekable();

    let mut out = String::with_capacity(target * 8);
    let mut count = 0;
    let intro = (0..rng.range(2, 3))
        .map(|_| sentence(rng))
        .collect::<Vec<_>>()
        .join(" ");
    emit(&mut out, &mut count, &intro);

    let mut paragraph_index = 0;
    for (s, heading) in headings.iter().enumerate() {
        let heading = if s == 0 && spec.overview { "Overview" } else { heading };
        emit(&mut out, &mut count, &format!("## {heading}"));
        // Cumulative: a long table in one section shortens the next ones.
        let section_end = target * (s + 1) / sections;
        let section_middle = (count + section_end) / 2;
        let mut extras_done = false;
        let mut paragraph_in_section = 0;
        loop {
            let mut paragraph: Vec<String> = Vec::new();
            let mut paragraph_words = 0;
            let sentences = rng.range(3, 6);
            while paragraph.len() < sentences && count + paragraph_words < section_end {
                let next = sentence(rng);
                paragraph_words += words(&next);
                paragraph.push(next);
            }
            if paragraph.is_empty() {
                // Out of budget: every section still gets one sentence.
                if paragraph_in_section > 0 {
                    break;
                }
                paragraph.push(sentence(rng));
            }
            paragraph_in_section += 1;
            // Links go into their slot's paragraph, or the last section's
            // first paragraph when their slot was not reached.
            while let Some((slot, target)) = link_slots.peek() {
                if *slot <= paragraph_index || s + 1 == sections {
                    let position = rng.below(paragraph.len() + 1);
                    paragraph.insert(position, link_sentence(rng, target));
                    link_slots.next();
                } else {
                    break;
                }
            }
            paragraph_index += 1;
            emit(&mut out, &mut count, &paragraph.join(" "));

            if !extras_done && count >= section_middle {
                extras_done = true;
                if rng.chance(30) {
                    emit(&mut out, &mut count, &format!("### {}", rng.pick(H3)));
                }
                if rng.chance(40) {
                    let mut list = String::new();
                    for i in 0..rng.range(3, 6) {
                        if i > 0 {
                            list.push('\n');
                        }
                        list.push_str("- ");
                        fill(rng, "{Ex}: {sets} sets of {reps}, {freq}.", &mut list);
                    }
                    emit(&mut out, &mut count, &list);
                }
            }
            if count >= section_end {
                break;
            }
        }
        if with_table == Some(s) {
            emit(&mut out, &mut count, &table(rng));
        }
        if with_code == Some(s) {
            emit(&mut out, &mut count, &code_block(rng));
        }
    }
    (out, count)
}

// ---------------------------------------------------------------------------
// Front matter

/// Keys every kind shares, written before any table.
fn common_front_matter(rng: &mut Rng, title: &str, out: &mut String) {
    let _ = writeln!(out, "title = {}", toml_str(title));
    let mut description = String::new();
    fill(
        rng,
        "How {who} can {goal}, with {ex} and other steps you can take {freq}.",
        &mut description,
    );
    let _ = writeln!(out, "description = {}", toml_str(&capitalize(&description)));
    let _ = writeln!(out, "date = {}", date(rng));
    if rng.chance(30) {
        let _ = writeln!(out, "updated = {}", date(rng));
    }
    let n = rng.range(1, 2);
    let authors = pick_distinct(rng, AUTHORS, n);
    let _ = writeln!(out, "authors = {}", toml_list(&authors));
    let _ = writeln!(out, "categories = {}", toml_list(&[rng.pick(CATEGORIES)]));
    let n = rng.range(1, 4);
    let tags = pick_distinct(rng, TAGS, n);
    let _ = writeln!(out, "tags = {}", toml_list(&tags));
    if rng.chance(30) {
        let _ = writeln!(out, "audience = {}", toml_str(rng.pick(AUDIENCES)));
    }
    if rng.chance(5) {
        out.push_str("featured = true\n");
    }
    if rng.chance(20) {
        let _ = writeln!(out, "reviewed_by = {}", toml_str(rng.pick(AUTHORS)));
        let _ = writeln!(out, "last_reviewed = {}", date(rng));
    }
}

/// `[[faq]]` and `[[references]]` tables; must come after the plain keys.
fn tables(rng: &mut Rng, faq_entries: usize, link_pool: &[&Entity], out: &mut String) {
    for question in pick_distinct(rng, QUESTIONS, faq_entries) {
        let mut answer: Vec<String> = (0..rng.range(1, 3)).map(|_| sentence(rng)).collect();
        if !link_pool.is_empty() && rng.chance(15) {
            let target = link_pool[rng.below(link_pool.len())];
            answer.push(format!("See [[{}]].", target.slug));
        }
        let answer = format!("**Short answer:** {}", answer.join(" "));
        let _ = writeln!(
            out,
            "\n[[faq]]\nquestion = {}\nanswer = {}",
            toml_str(question),
            toml_str(&answer)
        );
    }
    if rng.chance(20) {
        for _ in 0..rng.range(1, 3) {
            let mut title = String::new();
            fill(rng, "Effects of {ex} on {measure} after {event}", &mut title);
            let _ = writeln!(
                out,
                "\n[[references]]\ntitle = {}\nyear = {}\ndoi = \"10.{}/{}.{}\"\nurl = \"https://doi.org/10.{}/{}\"",
                toml_str(&format!("{}. {}", capitalize(&title), rng.pick(JOURNALS))),
                rng.range(2005, 2025),
                rng.range(1000, 9999),
                rng.range(100, 999),
                rng.range(10000, 99999),
                rng.range(1000, 9999),
                rng.range(100000, 999999),
            );
        }
    }
}

fn page_file(front_matter: &str, body: &str) -> String {
    format!("+++\n{front_matter}+++\n\n{body}")
}

// ---------------------------------------------------------------------------
// The site

fn write(root: &Path, rel: &str, text: &str, summary: &mut Summary) -> io::Result<()> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&path, text)?;
    summary.bytes += text.len() as u64;
    Ok(())
}

fn section_index(title: &str, description: &str, extra_keys: &str, intro: &str) -> String {
    format!(
        "+++\ntitle = {}\ndescription = {}\n{extra_keys}+++\n\n{intro}\n",
        toml_str(title),
        toml_str(description)
    )
}

/// How many pages of each kind a site of `pages` pages gets:
/// (techniques, applications, faqs, articles). At least one technique and
/// one application so articles always have something to link to.
pub fn distribution(pages: usize) -> (usize, usize, usize, usize) {
    let techniques = (pages / 10).max(1);
    let applications = (pages / 10).max(1);
    let faqs = pages / 10;
    let articles = pages.saturating_sub(techniques + applications + faqs);
    (techniques, applications, faqs, articles)
}

/// Writes a site of about `pages` pages (exactly `pages` for `pages >= 2`)
/// into `root`, which should be empty or missing.
pub fn generate(root: &Path, pages: usize, seed: u64) -> io::Result<Summary> {
    let mut rng = Rng::new(seed ^ 0x5052_4158_4953_u64);
    let (n_techniques, n_applications, n_faqs, n_articles) = distribution(pages);
    let catalogue = Catalogue::new(&mut rng, n_techniques, n_applications);
    let mut summary = Summary {
        techniques: n_techniques,
        applications: n_applications,
        faqs: n_faqs,
        articles: n_articles,
        pages: n_techniques + n_applications + n_faqs + n_articles,
        ..Summary::default()
    };

    write(
        root,
        "site.toml",
        "title = \"Synthetic Physical Therapy Knowledge Base\"\nbase_url = \"https://example.org\"\ndescription = \"A generated knowledge base about exercises, balance, strength and recovery, used to benchmark Praxis.\"\n",
        &mut summary,
    )?;
    write(
        root,
        "content/_index.md",
        &section_index(
            "Synthetic physical therapy knowledge base",
            "Generated pages about techniques, clinical applications and home exercise.",
            "",
            "Welcome. Browse the [techniques](/techniques/), the [clinical applications](/applications/), our [articles](/articles/) and the [FAQ](/faq/).",
        ),
        &mut summary,
    )?;
    write(
        root,
        "content/articles/_index.md",
        &section_index(
            "Articles",
            "Guides, tips and research summaries.",
            "sort_by = \"date\"\npaginate_by = 20\n",
            "Newest articles first.",
        ),
        &mut summary,
    )?;
    write(
        root,
        "content/techniques/_index.md",
        &section_index(
            "Techniques",
            "Treatment techniques used in physical therapy.",
            "sort_by = \"title\"\n",
            "Every technique we use, A to Z.",
        ),
        &mut summary,
    )?;
    write(
        root,
        "content/applications/_index.md",
        &section_index(
            "Clinical applications",
            "Conditions and care areas, and the techniques that help.",
            "sort_by = \"title\"\n",
            "Conditions and care areas, A to Z.",
        ),
        &mut summary,
    )?;
    write(
        root,
        "content/faq/_index.md",
        &section_index(
            "Frequently asked questions",
            "Short answers to common questions.",
            "",
            "Answers to the questions we hear most.",
        ),
        &mut summary,
    )?;

    let all_targets: Vec<&Entity> = catalogue.techniques.iter().chain(&catalogue.applications).collect();

    // Every application is named by at least one technique (Praxis warns
    // about an application no technique names); then 1-3 per technique.
    let mut technique_apps: Vec<Vec<usize>> = vec![Vec::new(); n_techniques];
    for app in 0..n_applications {
        technique_apps[app % n_techniques].push(app);
    }
    for technique_apps in &mut technique_apps {
        let wanted = rng.range(1, 3).min(n_applications);
        while technique_apps.len() < wanted {
            let app = rng.below(n_applications);
            if !technique_apps.contains(&app) {
                technique_apps.push(app);
            }
        }
    }

    for (technique, apps) in catalogue.techniques.iter().zip(&technique_apps) {
        let mut fm = String::new();
        common_front_matter(&mut rng, &technique.title, &mut fm);
        let _ = writeln!(fm, "synonyms = {}", toml_list(&technique.synonyms));
        let app_slugs: Vec<&str> = apps.iter().map(|&a| catalogue.applications[a].slug.as_str()).collect();
        let _ = writeln!(fm, "applications = {}", toml_list(&app_slugs));
        let n = rng.range(1, 2);
        let _ = writeln!(
            fm,
            "body_regions = {}",
            toml_list(&pick_distinct(&mut rng, BODY_REGIONS, n))
        );
        let n = rng.range(0, 3);
        let _ = writeln!(fm, "equipment = {}", toml_list(&pick_distinct(&mut rng, EQUIPMENT, n)));
        let links = vec![&catalogue.applications[apps[0]]];
        let n = rng.range(0, 3);
        tables(&mut rng, n, &links, &mut fm);
        let (text, count) = body(&mut rng, &BodySpec { overview: true, links });
        summary.words += count;
        write(
            root,
            &format!("content/techniques/{}.md", technique.slug),
            &page_file(&fm, &text),
            &mut summary,
        )?;
    }

    for (i, application) in catalogue.applications.iter().enumerate() {
        let mut fm = String::new();
        common_front_matter(&mut rng, &application.title, &mut fm);
        let _ = writeln!(fm, "synonyms = {}", toml_list(&application.synonyms));
        let mut links = Vec::new();
        if let Some(parent) = catalogue.parents[i] {
            let _ = writeln!(fm, "parent = {}", toml_str(&catalogue.applications[parent].slug));
            links.push(&catalogue.applications[parent]);
        }
        let n = rng.range(1, 3);
        let _ = writeln!(
            fm,
            "body_regions = {}",
            toml_list(&pick_distinct(&mut rng, BODY_REGIONS, n))
        );
        let n = rng.range(0, 3);
        tables(&mut rng, n, &links, &mut fm);
        let (text, count) = body(&mut rng, &BodySpec { overview: true, links });
        summary.words += count;
        write(
            root,
            &format!("content/applications/{}.md", application.slug),
            &page_file(&fm, &text),
            &mut summary,
        )?;
    }

    for i in 0..n_articles {
        let n = rng.range(0, 3);
        let techniques = rng.distinct(n_techniques, n);
        let n = rng.range(usize::from(techniques.is_empty()), 3);
        let applications = rng.distinct(n_applications, n);
        let tech = &catalogue.techniques[techniques.first().copied().unwrap_or_else(|| rng.below(n_techniques))];
        let tech2 = &catalogue.techniques[rng.below(n_techniques)];
        let app = &catalogue.applications[applications
            .first()
            .copied()
            .unwrap_or_else(|| rng.below(n_applications))];
        let title = rng
            .pick(ARTICLE_TITLES)
            .replace("{tech}", &tech.title)
            .replace("{tech2}", &tech2.title)
            .replace("{app}", &app.title)
            .replace("{n}", &rng.range(3, 9).to_string());
        let slug = format!("art-{}-{i}", slugify(&title));

        let mut fm = String::new();
        common_front_matter(&mut rng, &title, &mut fm);
        let t_slugs: Vec<&str> = techniques
            .iter()
            .map(|&t| catalogue.techniques[t].slug.as_str())
            .collect();
        let a_slugs: Vec<&str> = applications
            .iter()
            .map(|&a| catalogue.applications[a].slug.as_str())
            .collect();
        if !t_slugs.is_empty() {
            let _ = writeln!(fm, "techniques = {}", toml_list(&t_slugs));
        }
        if !a_slugs.is_empty() {
            let _ = writeln!(fm, "applications = {}", toml_list(&a_slugs));
        }
        // 1-4 links, mostly to the related pages, sometimes anywhere.
        let mut related: Vec<&Entity> = techniques
            .iter()
            .map(|&t| &catalogue.techniques[t])
            .chain(applications.iter().map(|&a| &catalogue.applications[a]))
            .collect();
        let mut links = Vec::new();
        for _ in 0..rng.range(1, 4) {
            if !related.is_empty() && rng.chance(75) {
                links.push(related.swap_remove(rng.below(related.len())));
            } else {
                links.push(all_targets[rng.below(all_targets.len())]);
            }
        }
        let n = rng.range(0, 3);
        tables(&mut rng, n, &all_targets, &mut fm);
        let (text, count) = body(&mut rng, &BodySpec { overview: false, links });
        summary.words += count;
        write(
            root,
            &format!("content/articles/{slug}.md"),
            &page_file(&fm, &text),
            &mut summary,
        )?;
    }

    for i in 0..n_faqs {
        let topic = FAQ_TOPICS[i % FAQ_TOPICS.len()];
        let title = format!("Questions About {topic}");
        let slug = format!("faq-{}-{i}", slugify(topic));
        let mut fm = String::new();
        common_front_matter(&mut rng, &title, &mut fm);
        let n = rng.range(1, 3);
        tables(&mut rng, n, &all_targets, &mut fm);
        let n = rng.range(0, 2);
        let links: Vec<&Entity> = (0..n).map(|_| all_targets[rng.below(all_targets.len())]).collect();
        let (text, count) = body(&mut rng, &BodySpec { overview: false, links });
        summary.words += count;
        write(
            root,
            &format!("content/faq/{slug}.md"),
            &page_file(&fm, &text),
            &mut summary,
        )?;
    }

    Ok(summary)
}
