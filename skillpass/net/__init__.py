"""The network, opened only when the learner asks (receive, share --request): net/http.py."""
