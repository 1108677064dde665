from async_test_upgrade.cli import main

main()
