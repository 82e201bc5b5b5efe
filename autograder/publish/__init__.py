"""Publishing the course: the editions a student or a self-paced learner receives."""
