package assessments

// The sample question TestEveryTypeInTheTable checks for qtype_choice.go.
var (
	_ = sample(Question{ID: "q1", Type: SingleChoice, Prompt: "Pick", Points: 1,
		Options: []Option{{ID: "a", Text: "yes", Correct: true}, {ID: "b", Text: "no"}}})
	_ = sample(Question{ID: "q2", Type: MultipleChoice, Prompt: "Tick", Points: 2,
		Options: []Option{{ID: "a", Text: "one", Correct: true}, {ID: "b", Text: "two", Correct: true}, {ID: "c", Text: "three"}}})
)
