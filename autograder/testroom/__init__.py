"""Test room: sandboxed processes that run the instructor's tests on plain answer values
(the job format, the server, and the pool the engine borrows rooms from). Never imports nbgrader."""
