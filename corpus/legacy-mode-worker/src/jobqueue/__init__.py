"""A tiny asyncio job queue with retries."""

from jobqueue.queue import Job, JobQueue, RetryPolicy

__all__ = ["Job", "JobQueue", "RetryPolicy"]
