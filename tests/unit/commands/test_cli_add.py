from click.testing import CliRunner

from linkedin_assets.commands.cli import main


def test_add_without_urls_or_files_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["add"])
    assert result.exit_code == 2, result.output
    assert "Usage: main add" in result.output
    assert "give at least one profile URL or --file" in result.output
