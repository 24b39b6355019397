"""Pure functions from data (+ year, language, selection) to panel components."""
