"""Quizzes and learning: question bank, spaced repetition, personal and channel quizzes, first-step challenges, NPS."""
