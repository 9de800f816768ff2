"""Step 4, stories: articles of many outlets about one event grouped (docs/stories.md)."""
