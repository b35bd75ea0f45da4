"""What a run leaves behind: the console lines, JUnit XML, and an HTML report with sequence diagrams."""
