"""The challenge domain: challenges, ideas, discussions, pipeline, reviews, lessons."""
