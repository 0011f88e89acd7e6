"""Real loopback fakes of the platforms dx10 talks to."""
