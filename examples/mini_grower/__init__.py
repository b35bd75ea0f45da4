"""mini-grower: a small grower system written from the Komet API docs alone, with a kasim adapter."""
