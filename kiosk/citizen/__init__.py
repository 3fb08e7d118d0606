"""The services a citizen uses: identification, commitment letters, progress lookup, appointments, queue tickets, evaluation, complaints, credit repair."""
