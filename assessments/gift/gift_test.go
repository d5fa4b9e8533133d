package gift_test

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"skillgate/assessments/gift"
)

// opt builds an Option for the expectations below.
func opt(text string, weight float64, feedback string) gift.Option {
	return gift.Option{Text: text, Correct: weight > 0, Weight: weight, Feedback: feedback}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []gift.Question
	}{
		{
			name: "single choice, Moodle docs example",
			src:  "Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}",
			want: []gift.Question{{
				Line: 1, Type: gift.SingleChoice, Prompt: "Who's buried in Grant's tomb?",
				Options: []gift.Option{opt("Grant", 0, ""), opt("Jefferson", 0, ""), opt("no one", 100, "")},
			}},
		},
		{
			// Moodle: no "=" in the block makes it multiple response, even
			// with one right answer; wrong ticks then subtract.
			name: "multiple response by a 100% weight, negative weights allowed",
			src:  "Pick one {~%100%right ~wrong ~%-50%very wrong}",
			want: []gift.Question{{
				Line: 1, Type: gift.MultipleChoice, Prompt: "Pick one", Weighted: true,
				Options: []gift.Option{opt("right", 100, ""), opt("wrong", 0, ""), opt("very wrong", -50, "")},
			}},
		},
		{
			name: "multiple answers",
			src:  "What two people are entombed in Grant's tomb? {~%-100%No one ~%50%Grant ~%50%Grant's wife ~%-100%Grant's father}",
			want: []gift.Question{{
				Line: 1, Type: gift.MultipleChoice, Prompt: "What two people are entombed in Grant's tomb?", Weighted: true,
				Options: []gift.Option{opt("No one", -100, ""), opt("Grant", 50, ""), opt("Grant's wife", 50, ""), opt("Grant's father", -100, "")},
			}},
		},
		{
			name: "multiple answers with fractional weights and feedback",
			src:  "Which are primary colours? {\n~%33.33333%red#yes\n~%33.33333%blue # yes\n~%33.33333%yellow\n~%-100%green#no, mixed\n####Red, blue and yellow.\n}",
			want: []gift.Question{{
				Line: 1, Type: gift.MultipleChoice, Prompt: "Which are primary colours?", Weighted: true,
				Options: []gift.Option{
					opt("red", 33.33333, "yes"), opt("blue", 33.33333, "yes"),
					opt("yellow", 33.33333, ""), opt("green", -100, "no, mixed"),
				},
				Explanation: "Red, blue and yellow.",
			}},
		},
		{
			name: "missing word",
			src:  "Grant is {~buried =entombed ~living} in Grant's tomb.",
			want: []gift.Question{{
				Line: 1, Type: gift.SingleChoice, Prompt: "Grant is _____ in Grant's tomb.",
				Options: []gift.Option{opt("buried", 0, ""), opt("entombed", 100, ""), opt("living", 0, "")},
			}},
		},
		{
			name: "missing word at the start",
			src:  "{=Delhi ~Mumbai} is the capital of India.",
			want: []gift.Question{{
				Line: 1, Type: gift.SingleChoice, Prompt: "_____ is the capital of India.",
				Options: []gift.Option{opt("Delhi", 100, ""), opt("Mumbai", 0, "")},
			}},
		},
		{
			name: "true/false in every spelling",
			src: "Grant was buried in a tomb in New York City.{T}\n\n" +
				"The sun rises in the east. {TRUE}\n\n" +
				"The moon is made of cheese. {F}\n\n" +
				"Two plus two is five. {FALSE}\n\n" +
				"Water is wet. {true}\n\n" +
				"Fire is cold. { false }",
			want: []gift.Question{
				{Line: 1, Type: gift.TrueFalse, Prompt: "Grant was buried in a tomb in New York City.", TrueFalse: true},
				{Line: 3, Type: gift.TrueFalse, Prompt: "The sun rises in the east.", TrueFalse: true},
				{Line: 5, Type: gift.TrueFalse, Prompt: "The moon is made of cheese.", TrueFalse: false},
				{Line: 7, Type: gift.TrueFalse, Prompt: "Two plus two is five.", TrueFalse: false},
				{Line: 9, Type: gift.TrueFalse, Prompt: "Water is wet.", TrueFalse: true},
				{Line: 11, Type: gift.TrueFalse, Prompt: "Fire is cold.", TrueFalse: false},
			},
		},
		{
			name: "true/false with answer feedback and general feedback",
			src:  "::TF:: Passwords should be shared with your team lead. {FALSE#No, never share them.#Right: keep them to yourself.####Only you should know your password.}",
			want: []gift.Question{{
				Line: 1, Title: "TF", Type: gift.TrueFalse, Prompt: "Passwords should be shared with your team lead.",
				Explanation: "Only you should know your password.",
				// The first feedback is for the wrong answer (true), the second for the right one.
				TrueFeedback: "No, never share them.", FalseFeedback: "Right: keep them to yourself.",
			}},
		},
		{
			name: "short answer",
			src:  "Who's buried in Grant's tomb?{=Grant =Ulysses S. Grant =Ulysses Grant}",
			want: []gift.Question{{
				Line: 1, Type: gift.ShortText, Prompt: "Who's buried in Grant's tomb?",
				Accepted: []string{"Grant", "Ulysses S. Grant", "Ulysses Grant"},
			}},
		},
		{
			name: "short answer with one answer, missing word",
			src:  "Two plus two equals {=four}.",
			want: []gift.Question{{
				Line: 1, Type: gift.ShortText, Prompt: "Two plus two equals _____.", Accepted: []string{"four"},
			}},
		},
		{
			name: "short answer written without = (Moodle accepts it)",
			src:  "The capital of France is {Paris =paris}.",
			want: []gift.Question{{
				Line: 1, Type: gift.ShortText, Prompt: "The capital of France is _____.", Accepted: []string{"Paris", "paris"},
			}},
		},
		{
			name: "short answer: feedback, zero-weight answers and explanation",
			src:  "Name the file format. {=GIFT#Yes =gift =%0%XML#No, that is a different one ####GIFT is Moodle's text format.}",
			want: []gift.Question{{
				Line: 1, Type: gift.ShortText, Prompt: "Name the file format.", Accepted: []string{"GIFT", "gift"},
				Texts: []gift.TextAnswer{{Text: "GIFT", Weight: 100, Feedback: "Yes"}, {Text: "gift", Weight: 100},
					{Text: "XML", Weight: 0, Feedback: "No, that is a different one"}},
				Explanation: "GIFT is Moodle's text format.",
			}},
		},
		{
			name: "numeric forms",
			src: "When was Ulysses S. Grant born?{#1822:5}\n\n" +
				"What year? {#1822}\n\n" +
				"What is the value of pi (to 3 decimal places)? {#3.141..3.142}.\n\n" +
				"When was Grant born? {#\n=1822:0 #Correct!\n=%50%1822:2 #Close\n~#Too far off\n}\n\n" +
				"Partial first. {# =%50%10:5 =10}\n\n" +
				"How cold? {#-5..-1}\n\n" +
				"How many metres in a kilometre? {#1e3 ####A kilometre is a thousand metres.}\n\n" +
				"Half. {#.5:0.1}",
			want: []gift.Question{
				{Line: 1, Type: gift.Numeric, Prompt: "When was Ulysses S. Grant born?", Value: 1822, Tolerance: 5},
				{Line: 3, Type: gift.Numeric, Prompt: "What year?", Value: 1822},
				{Line: 5, Type: gift.Numeric, Prompt: "What is the value of pi (to 3 decimal places)? _____.", Value: 3.1415, Tolerance: 0.0005},
				{Line: 7, Type: gift.Numeric, Prompt: "When was Grant born?", Value: 1822, OtherFeedback: "Too far off",
					Numbers: []gift.NumericAnswer{{Value: 1822, Weight: 100, Feedback: "Correct!"}, {Value: 1822, Tolerance: 2, Weight: 50, Feedback: "Close"}}},
				{Line: 13, Type: gift.Numeric, Prompt: "Partial first.", Value: 10,
					Numbers: []gift.NumericAnswer{{Value: 10, Tolerance: 5, Weight: 50}, {Value: 10, Weight: 100}}},
				{Line: 15, Type: gift.Numeric, Prompt: "How cold?", Value: -3, Tolerance: 2},
				{Line: 17, Type: gift.Numeric, Prompt: "How many metres in a kilometre?", Value: 1000, Explanation: "A kilometre is a thousand metres."},
				{Line: 19, Type: gift.Numeric, Prompt: "Half.", Value: 0.5, Tolerance: 0.1},
			},
		},
		{
			name: "every escape",
			src: `::Q\:1 \{x\}:: Is 2 \+ 2 \= 4 \# true\? Use https\://example.org\nor C\:\\temp. {` + "\n" +
				`=yes \~ sure #fine \= ok` + "\n" +
				`~no \{never\}` + "\n" +
				`####a\#b \~ c\\d` + "\n}",
			want: []gift.Question{{
				Line: 1, Title: "Q:1 {x}", Type: gift.SingleChoice,
				Prompt:      "Is 2 \\+ 2 = 4 # true\\? Use https://example.org\nor C:\\temp.",
				Options:     []gift.Option{opt("yes ~ sure", 100, "fine = ok"), opt("no {never}", 0, "")},
				Explanation: `a#b ~ c\d`,
			}},
		},
		{
			name: "escaped braces and colons in a short answer",
			src:  `Type the time 10\:30 with braces. {=\{10\:30\} =10\:30}`,
			want: []gift.Question{{
				Line: 1, Type: gift.ShortText, Prompt: "Type the time 10:30 with braces.", Accepted: []string{"{10:30}", "10:30"},
			}},
		},
		{
			name: "categories become tags",
			src: "$CATEGORY: $course$/top/Default for Safety/Passwords  And Sign-in\n\n" +
				"Q1 {T}\n\n" +
				"$CATEGORY: phishing\n" +
				"Q2 {F}\n\n" +
				"$CATEGORY: $course$/Data//Privacy/\n\n" +
				"Q3 {T}\n\n" +
				"$CATEGORY: $course$\n\n" +
				"Q4 {T}\n\n" +
				"$CATEGORY: $course$/top\n\n" +
				"Q5 {T}\n\n" +
				"$CATEGORY: top\n\n" +
				"Q6 {T}",
			want: []gift.Question{
				{Line: 3, Type: gift.TrueFalse, Prompt: "Q1", TrueFalse: true, Tags: []string{"passwords-and-sign-in"}},
				{Line: 6, Type: gift.TrueFalse, Prompt: "Q2", Tags: []string{"phishing"}},
				{Line: 10, Type: gift.TrueFalse, Prompt: "Q3", TrueFalse: true, Tags: []string{"data/privacy"}},
				{Line: 14, Type: gift.TrueFalse, Prompt: "Q4", TrueFalse: true},
				{Line: 18, Type: gift.TrueFalse, Prompt: "Q5", TrueFalse: true},
				{Line: 22, Type: gift.TrueFalse, Prompt: "Q6", TrueFalse: true, Tags: []string{"top"}},
			},
		},
		{
			name: "category line right after a question without a blank line",
			src:  "Q1 {T}\n$CATEGORY: later\nQ2 {T}",
			want: []gift.Question{
				{Line: 1, Type: gift.TrueFalse, Prompt: "Q1", TrueFalse: true},
				{Line: 3, Type: gift.TrueFalse, Prompt: "Q2", TrueFalse: true, Tags: []string{"later"}},
			},
		},
		{
			name: "comments everywhere",
			src: "// a bank\n  // indented comment\n\n" +
				"// comment right before\n" +
				"::C1:: Which one? {\n" +
				"// comment inside the block\n" +
				"=a\n" +
				"  // another\n" +
				"~b\n" +
				"}\n" +
				"// trailing comment\n",
			want: []gift.Question{{
				Line: 5, Title: "C1", Type: gift.SingleChoice, Prompt: "Which one?",
				Options: []gift.Option{opt("a", 100, ""), opt("b", 0, "")},
			}},
		},
		{
			name: "format prefixes",
			src: "::M::[markdown]Is **this** bold? {T}\n\n" +
				"::H:: [html]<p>Is this HTML?</p> {=[html]<b>yes</b>#[plain]good ~[moodle]no ####[markdown]It *is*.}\n\n" +
				"[plain] Plain text. {F}\n\n" +
				"[moodle]Moodle text. {F}\n\n" +
				"[unknown]kept as text {T}",
			want: []gift.Question{
				{Line: 1, Title: "M", Type: gift.TrueFalse, Prompt: "Is **this** bold?", TrueFalse: true, Format: "markdown"},
				{
					Line: 3, Title: "H", Type: gift.SingleChoice, Prompt: "<p>Is this HTML?</p>", Format: "html",
					Options:     []gift.Option{{Text: "<b>yes</b>", Correct: true, Weight: 100, Feedback: "good", Format: "html"}, {Text: "no", Format: "html"}},
					Explanation: "It *is*.",
				},
				{Line: 5, Type: gift.TrueFalse, Prompt: "Plain text.", Format: "plain"},
				{Line: 7, Type: gift.TrueFalse, Prompt: "Moodle text.", Format: "html"},
				{Line: 9, Type: gift.TrueFalse, Prompt: "[unknown]kept as text", TrueFalse: true},
			},
		},
		{
			name: "multi-line question text and answers",
			src:  "::ML::\n  First line of the question,\n  second line.\n{\n  =right\n  answer\n  ~wrong\n}\n",
			want: []gift.Question{{
				Line: 1, Title: "ML", Type: gift.SingleChoice, Prompt: "First line of the question,\nsecond line.",
				Options: []gift.Option{opt("right\nanswer", 100, ""), opt("wrong", 0, "")},
			}},
		},
		{
			name: "CRLF line endings",
			src:  "// c\r\n$CATEGORY: Win\r\n\r\n::W1:: One? {\r\n=a\r\n~b\r\n}\r\n\r\n::W2:: Two? {T}\r\n",
			want: []gift.Question{
				{Line: 4, Title: "W1", Type: gift.SingleChoice, Prompt: "One?", Tags: []string{"win"}, Options: []gift.Option{opt("a", 100, ""), opt("b", 0, "")}},
				{Line: 9, Title: "W2", Type: gift.TrueFalse, Prompt: "Two?", TrueFalse: true, Tags: []string{"win"}},
			},
		},
		{
			name: "old Mac CR line endings",
			src:  "A? {T}\r\rB? {F}",
			want: []gift.Question{
				{Line: 1, Type: gift.TrueFalse, Prompt: "A?", TrueFalse: true},
				{Line: 3, Type: gift.TrueFalse, Prompt: "B?"},
			},
		},
		{
			name: "byte order mark at the start",
			src:  "\uFEFF::B:: With BOM? {T}",
			want: []gift.Question{{Line: 1, Title: "B", Type: gift.TrueFalse, Prompt: "With BOM?", TrueFalse: true}},
		},
		{
			name: "non-ASCII text",
			src:  "$CATEGORY: पासवर्ड\n\n::हि-01:: सबसे मज़बूत पासवर्ड कौन सा है? {=नदी मोमबत्ती आम सत्तर ~Priya1998}",
			want: []gift.Question{{
				Line: 3, Title: "हि-01", Type: gift.SingleChoice, Prompt: "सबसे मज़बूत पासवर्ड कौन सा है?", Tags: []string{"पासवर्ड"},
				Options: []gift.Option{opt("नदी मोमबत्ती आम सत्तर", 100, ""), opt("Priya1998", 0, "")},
			}},
		},
		{
			name: "general feedback may contain = and ~",
			src:  "Sum? {=4 ~5 ####Because 2 + 2 = 4, not ~5.}",
			want: []gift.Question{{
				Line: 1, Type: gift.SingleChoice, Prompt: "Sum?",
				Options:     []gift.Option{opt("4", 100, ""), opt("5", 0, "")},
				Explanation: "Because 2 + 2 = 4, not ~5.",
			}},
		},
		{
			name: "Moodle export",
			src:  moodleExport,
			want: []gift.Question{
				{
					Line: 6, Title: "Capital", Type: gift.SingleChoice, Prompt: "<p>What is the capital of France?</p>", Tags: []string{"default-for-gift101"}, Format: "html",
					Options: []gift.Option{
						opt("<p>Paris</p>", 100, "<p>Correct</p>"), opt("<p>Lyon</p>", 0, ""), opt("<p>Nice</p>", 0, ""),
					},
					Explanation: "<p>Paris has been the capital for centuries.</p>",
				},
				{Line: 15, Title: "Year", Type: gift.Numeric, Prompt: "When was Moodle first released?", Tags: []string{"default-for-gift101"}, Value: 2002, Format: "html"},
				{Line: 21, Title: "Colours", Type: gift.ShortText, Prompt: "Name a primary colour", Tags: []string{"default-for-gift101"}, Accepted: []string{"red", "blue", "yellow"}, Format: "html"},
				{Line: 29, Title: "Flat", Type: gift.TrueFalse, Prompt: "The Earth is flat.", Tags: []string{"default-for-gift101"}, Format: "html",
					TrueFeedback: "Wrong!", FalseFeedback: "Right."},
			},
		},
		{
			// Written in the manner of Moodle's own GIFT examples: a year
			// with several right values and partial credit.
			name: "numeric with several right values and partial credit",
			src:  "::Launch year:: In which year did India's first satellite go up? {#\n  =1975:0 #Exactly.\n  =%50%1975:2 #Close.\n  =%100%1975.0:0\n}",
			want: []gift.Question{{
				Line: 1, Title: "Launch year", Type: gift.Numeric, Prompt: "In which year did India's first satellite go up?", Value: 1975,
				Numbers: []gift.NumericAnswer{{Value: 1975, Weight: 100, Feedback: "Exactly."}, {Value: 1975, Tolerance: 2, Weight: 50, Feedback: "Close."},
					{Value: 1975, Weight: 100}},
			}},
		},
		{
			name: "numeric range with partial credit",
			src:  "Pick a number from one to five. {#=1..5 =%25%0..10}",
			want: []gift.Question{{
				Line: 1, Type: gift.Numeric, Prompt: "Pick a number from one to five.", Value: 3, Tolerance: 2,
				Numbers: []gift.NumericAnswer{{Value: 3, Tolerance: 2, Weight: 100}, {Value: 5, Tolerance: 5, Weight: 25}},
			}},
		},
		{
			name: "short answer with partial credit and feedback",
			src:  "Name the colour of a clear sky. {=blue#Yes. =%50%light blue#Nearly. =%0%green#No, that is grass.}",
			want: []gift.Question{{
				Line: 1, Type: gift.ShortText, Prompt: "Name the colour of a clear sky.", Accepted: []string{"blue"},
				Texts: []gift.TextAnswer{{Text: "blue", Weight: 100, Feedback: "Yes."}, {Text: "light blue", Weight: 50, Feedback: "Nearly."},
					{Text: "green", Weight: 0, Feedback: "No, that is grass."}},
			}},
		},
		{
			name: "multiple response with one right answer, as Moodle",
			src:  "Which is a safe place for a password? {~%100%a password manager ~%-50%a sticky note ~%-50%a shared chat}",
			want: []gift.Question{{
				Line: 1, Type: gift.MultipleChoice, Prompt: "Which is a safe place for a password?", Weighted: true,
				Options: []gift.Option{opt("a password manager", 100, ""), opt("a sticky note", -50, ""), opt("a shared chat", -50, "")},
			}},
		},
		{
			name: "single choice with a partial-credit answer",
			src:  "Best reply to a stranger asking for your OTP? {=Refuse and report ~%50%Refuse ~Read it out}",
			want: []gift.Question{{
				Line: 1, Type: gift.SingleChoice, Prompt: "Best reply to a stranger asking for your OTP?", Weighted: true,
				Options: []gift.Option{opt("Refuse and report", 100, ""), {Text: "Refuse", Weight: 50}, opt("Read it out", 0, "")},
			}},
		},
		{
			name: "tags in comments, before and inside, with a category",
			src:  "$CATEGORY: phishing\n\n// [tag:lesson:03] [tag:sms]\n\n::T1:: A text says your account is blocked. {\n// [tag:scam]\n=Ignore it ~Click the link}",
			want: []gift.Question{{
				Line: 5, Title: "T1", Type: gift.SingleChoice, Prompt: "A text says your account is blocked.", Tags: []string{"phishing", "lesson:03", "sms", "scam"},
				Options: []gift.Option{opt("Ignore it", 100, ""), opt("Click the link", 0, "")},
			}},
		},
		{
			name: "white space kept in code",
			src:  "::Code::[html]What does this print?<pre>for i in range(2):\n    print(i)</pre>{=0 and 1 ~2}",
			want: []gift.Question{{
				Line: 1, Title: "Code", Type: gift.SingleChoice, Format: "html", Prompt: "What does this print?<pre>for i in range(2):\n    print(i)</pre>",
				Options: []gift.Option{opt("0 and 1", 100, ""), opt("2", 0, "")},
			}},
		},
		{
			name: "empty document",
			src:  "\n\n// nothing here\n\n",
		},
		{
			name: "course pack format example",
			src:  packExample,
			want: []gift.Question{
				{
					Line: 4, Title: "DLF-12 Strongest password", Type: gift.SingleChoice,
					Prompt: "Which of these passwords is the strongest?", Tags: []string{"passwords"},
					Options: []gift.Option{
						opt("river candle mango seventy", 100, ""), opt("Priya1998", 0, ""),
						opt("password123", 0, ""), opt("qwerty", 0, ""),
					},
					Explanation: "A long phrase of unrelated words is strong and easy to remember; names, years and keyboard patterns are guessed first.",
				},
				{
					Line: 12, Title: "DLF-13 Sharing codes", Type: gift.TrueFalse,
					Prompt:      "A caller says he is from the task platform and asks for the code you just received by SMS. You should read it to him.",
					Tags:        []string{"passwords"},
					Explanation: "Nobody genuine will ask for a sign-in code; reading it out gives the caller your account.",
				},
			},
		},
		{
			name: "course pack format, other documented forms",
			src: "$CATEGORY: passwords\n\n" +
				"::X-01 Multi:: Which TWO are right? { ~%50%right one ~%50%right two ~%-100%wrong ~%-50%wrong too ####Both are right.}\n\n" +
				"::X-02 Short:: How many digits has a PIN here? { =four =4 ####Four digits.}\n\n" +
				"::X-03 Num:: Minutes? {#30:5 ####Thirty, give or take five.}\n\n" +
				"::X-04 Range:: Pick 1 to 5. {#1..5 ####Anything from one to five.}\n\n" +
				"::X-05 TF:: True? {TRUE ####Yes.}",
			want: []gift.Question{
				{
					Line: 3, Title: "X-01 Multi", Type: gift.MultipleChoice, Prompt: "Which TWO are right?", Tags: []string{"passwords"}, Weighted: true,
					Options:     []gift.Option{opt("right one", 50, ""), opt("right two", 50, ""), opt("wrong", -100, ""), opt("wrong too", -50, "")},
					Explanation: "Both are right.",
				},
				{Line: 5, Title: "X-02 Short", Type: gift.ShortText, Prompt: "How many digits has a PIN here?", Tags: []string{"passwords"}, Accepted: []string{"four", "4"}, Explanation: "Four digits."},
				{Line: 7, Title: "X-03 Num", Type: gift.Numeric, Prompt: "Minutes?", Tags: []string{"passwords"}, Value: 30, Tolerance: 5, Explanation: "Thirty, give or take five."},
				{Line: 9, Title: "X-04 Range", Type: gift.Numeric, Prompt: "Pick 1 to 5.", Tags: []string{"passwords"}, Value: 3, Tolerance: 2, Explanation: "Anything from one to five."},
				{Line: 11, Title: "X-05 TF", Type: gift.TrueFalse, Prompt: "True?", Tags: []string{"passwords"}, TrueFalse: true, Explanation: "Yes."},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, errs := gift.Parse(tc.src)
			if len(errs) != 0 {
				t.Fatalf("Parse returned errors: %v", errs)
			}
			if !reflect.DeepEqual(round(got), round(tc.want)) {
				t.Errorf("Parse mismatch\n got: %s\nwant: %s", dump(got), dump(tc.want))
			}
		})
	}
}

const packExample = `// Lesson 3: passwords
$CATEGORY: passwords

::DLF-12 Strongest password:: Which of these passwords is the strongest? {
  =river candle mango seventy
  ~Priya1998
  ~password123
  ~qwerty
  ####A long phrase of unrelated words is strong and easy to remember; names, years and keyboard patterns are guessed first.
}

::DLF-13 Sharing codes:: A caller says he is from the task platform and asks for the code you just received by SMS. You should read it to him. {FALSE ####Nobody genuine will ask for a sign-in code; reading it out gives the caller your account.}
`

// round rounds the numbers of qs to 9 decimals, so that expectations can
// be written as decimals.
func round(qs []gift.Question) []gift.Question {
	r := func(v float64) float64 { return math.Round(v*1e9) / 1e9 }
	for i := range qs {
		qs[i].Value, qs[i].Tolerance = r(qs[i].Value), r(qs[i].Tolerance)
		for j := range qs[i].Options {
			qs[i].Options[j].Weight = r(qs[i].Options[j].Weight)
		}
	}
	return qs
}

// moodleExport is shaped like a file exported by Moodle's question bank.
const moodleExport = "// question: 0  name: Switch category to $course$/top/Default for GIFT101\n" +
	"$CATEGORY: $course$/top/Default for GIFT101\n" +
	"\n" +
	"\n" +
	"// question: 12  name: Capital\n" +
	"::Capital::[html]<p>What is the capital of France?</p>{\n" +
	"\t=<p>Paris</p>#<p>Correct</p>\n" +
	"\t~<p>Lyon</p>#\n" +
	"\t~<p>Nice</p>#\n" +
	"\t####<p>Paris has been the capital for centuries.</p>\n" +
	"}\n" +
	"\n" +
	"\n" +
	"// question: 13  name: Year\n" +
	"::Year::[html]When was Moodle first released?{#\n" +
	"\t=2002:0#\n" +
	"}\n" +
	"\n" +
	"\n" +
	"// question: 14  name: Colours\n" +
	"::Colours::[html]Name a primary colour{\n" +
	"\t=%100%red#\n" +
	"\t=%100%blue#\n" +
	"\t=%100%yellow#\n" +
	"}\n" +
	"\n" +
	"\n" +
	"// question: 15  name: Flat\n" +
	"::Flat::[html]The Earth is flat.{FALSE#Wrong!#Right.}\n"

func dump(qs []gift.Question) string {
	var b strings.Builder
	for _, q := range qs {
		fmt.Fprintf(&b, "\n  %+v", q)
	}
	return b.String()
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		// lines are the expected error lines, in order; contains is a
		// fragment of the first error's message.
		lines    []int
		contains string
		// good is how many questions are still returned.
		good int
	}{
		{name: "matching", src: "Match.\n{\n=cat -> meow\n=dog -> woof\n}", lines: []int{2}, contains: "matching"},
		{name: "essay", src: "// essay\nWrite about yourself. {}", lines: []int{2}, contains: "essay questions cannot be graded automatically"},
		{name: "essay with only general feedback", src: "Write. {####Any answer.}", lines: []int{1}, contains: "essay"},
		{name: "description", src: "\n\nThis is just some information.\nIt has two lines.", lines: []int{3}, contains: "no answer block"},
		{name: "unclosed brace names its line", src: "::U::\nQuestion text\n{=a\n~b\n\nNext? {T}", lines: []int{3}, contains: "not closed", good: 1},
		{name: "closing brace first", src: "Oops } here {T}", lines: []int{1}, contains: `unexpected "}"`},
		{name: "brace inside block", src: "Q {\n=a\n~b {c}\n}", lines: []int{3}, contains: "inside the answer block opened on line 1"},
		{name: "two answer blocks", src: "First {=a ~b}\nand second\n{T}", lines: []int{3}, contains: "second answer block"},
		{name: "stray closing brace after block", src: "Q {T} oops}", lines: []int{1}, contains: `unexpected "}"`},
		{name: "no correct answer", src: "Pick {~a ~b ~c}", lines: []int{1}, contains: "no correct answer"},
		{name: "zero weights only", src: "Pick {~%0%a ~%-50%b}", lines: []int{1}, contains: "no correct answer"},
		{name: "weights do not add up", src: "Pick\ntwo {~%50%a ~%40%b ~c}", lines: []int{2}, contains: "add up to 90%"},
		{name: "two = answers in a choice", src: "Pick {=a =b ~c}", lines: []int{1}, contains: `it has 2`},
		{name: "only right answer below 100", src: "Pick {~%50%a ~b}", lines: []int{1}, contains: "add up to 50%"},
		{name: "single choice whose = answer is partial", src: "Pick {=%50%a ~b}", lines: []int{1}, contains: "exactly one answer worth 100%"},
		{name: "negative numeric weight", src: "Year? {#=1822 =%-50%1900}", lines: []int{1}, contains: "less than 0%"},
		{name: "numeric ~ that is not feedback", src: "Year? {#1822 ~1900}", lines: []int{1}, contains: `"~#feedback"`},
		{name: "weight above 100 names the answer line", src: "Pick {\n~%50%a\n~%150%b\n}", lines: []int{3}, contains: "outside -100..100"},
		{name: "weight below -100", src: "Pick {=a ~%-101%b}", lines: []int{1}, contains: "outside -100..100"},
		{name: "weight not a number", src: "Pick {=a ~%1.2.3%b}", lines: []int{1}, contains: "not a number"},
		{name: "empty option", src: "Pick {=a ~}", lines: []int{1}, contains: "empty"},
		{name: "text before first marker", src: "Pick {a ~b =c}", lines: []int{1}, contains: `start with "=" or "~"`},
		{name: "one option only", src: "Pick {~%100%a}", lines: []int{1}, contains: "at least two"},
		{name: "numeric not a number", src: "How many? {#ten}", lines: []int{1}, contains: "not a number"},
		{name: "numeric bad tolerance", src: "How many? {#10:x}", lines: []int{1}, contains: "not a number"},
		{name: "numeric open range", src: "How many? {#1..}", lines: []int{1}, contains: "not a number"},
		{name: "numeric reversed range", src: "How many? {#5..1}", lines: []int{1}, contains: "starts above its end"},
		{name: "numeric negative tolerance", src: "How many? {#5:-1}", lines: []int{1}, contains: "negative"},
		{name: "numeric overflow", src: "How many? {#1e999}", lines: []int{1}, contains: "not a number"},
		{name: "numeric NaN", src: "How many? {#NaN}", lines: []int{1}, contains: "not a number"},
		{name: "numeric hex", src: "How many? {#0x10}", lines: []int{1}, contains: "not a number"},
		{name: "numeric with no answer", src: "How many? {#}", lines: []int{1}, contains: "no answer"},
		{name: "numeric with no full answer", src: "How many? {#%50%3}", lines: []int{1}, contains: "100%"},
		{name: "numeric second answer bad, exact line", src: "How many? {#\n=3\n=three\n}", lines: []int{3}, contains: "not a number"},
		{name: "empty prompt", src: "::T:: {T}", lines: []int{1}, contains: "question text is empty"},
		{name: "empty prompt with format only", src: "[html] {=a ~b}", lines: []int{1}, contains: "question text is empty"},
		{name: "prompt of escaped newline only", src: `\n {T}`, lines: []int{1}, contains: "question text is empty"},
		{name: "unclosed title", src: "::Title Which? {T}", lines: []int{1}, contains: "title"},
		{name: "negative short answer", src: "Colour? {=colour =%-50%color}", lines: []int{1}, contains: "less than 0%"},
		{name: "empty short answer", src: "Colour? {=colour =}", lines: []int{1}, contains: "empty"},
		{name: "short answer with no accepted answer", src: "Colour? {=%0%colour}", lines: []int{1}, contains: "no accepted answer"},
		{name: "invalid UTF-8", src: "Ok? {T}\n\nBad \xff text {T}", lines: []int{3}, contains: "UTF-8", good: 1},
		{name: "invalid UTF-8 in a category", src: "$CATEGORY: \xfe\n\nOk? {T}", lines: []int{1}, contains: "UTF-8", good: 1},
		{
			name: "several bad questions among good ones",
			src: "// bank\n$CATEGORY: mixed\n\n" +
				"Good one {T}\n\n" + // 4
				"Essay {}\n\n" + // 6
				"::M:: Good two {=a ~b}\n\n" + // 8
				"Match {\n=a -> b\n=c -> d\n}\n\n" + // 10, block on 10
				"Bad weights {\n~%50%a\n~%20%b\n}\n\n" + // 15, block on 15
				"Unclosed\n{=a\n\n" + // 20, brace on 21
				"Good three {#3}\n", // 23
			lines:    []int{6, 10, 15, 21},
			contains: "essay",
			good:     3,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, errs := gift.Parse(tc.src)
			if len(got) != tc.good {
				t.Errorf("got %d questions, want %d: %s", len(got), tc.good, dump(got))
			}
			var lines []int
			for _, e := range errs {
				lines = append(lines, e.Line)
			}
			if !reflect.DeepEqual(lines, tc.lines) {
				t.Fatalf("error lines = %v, want %v (errors: %v)", lines, tc.lines, errs)
			}
			if !strings.Contains(errs[0].Message, tc.contains) {
				t.Errorf("error %q does not contain %q", errs[0].Message, tc.contains)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	e := gift.Error{Line: 7, Message: "the question text is empty"}
	if got, want := e.Error(), "line 7: the question text is empty"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var _ error = e
}

func TestTagsAreNotShared(t *testing.T) {
	qs, errs := gift.Parse("$CATEGORY: shared\n\nA {T}\n\nB {T}")
	if len(errs) != 0 || len(qs) != 2 {
		t.Fatalf("Parse = %v, %v", qs, errs)
	}
	qs[0].Tags[0] = "changed"
	if qs[1].Tags[0] != "shared" {
		t.Errorf("questions share one Tags slice")
	}
}

func TestLargeInput(t *testing.T) {
	// About 2 MiB: many questions, and one question with many lines.
	var b strings.Builder
	for b.Len() < 1<<20 {
		fmt.Fprintf(&b, "::Q%d:: Which? {=a ~b ~c ####x}\n\n", b.Len())
	}
	b.WriteString("Long {\n=a\n")
	for b.Len() < 2<<20 {
		b.WriteString("~wrong answer line\n")
	}
	b.WriteString("}\n")
	qs, errs := gift.Parse(b.String())
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs[:1])
	}
	if last := qs[len(qs)-1]; len(last.Options) < 50000 {
		t.Errorf("long question has %d options", len(last.Options))
	}
}
