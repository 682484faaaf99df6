"""Water–energy: basin model and benefit sharing."""
