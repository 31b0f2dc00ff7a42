"""Answers: one question in, one reply out, and the reply model every renderer draws from."""
