"""Learning: exams, the attempt policy, grading and submission."""
