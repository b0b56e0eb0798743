from gidraft.cli import main

main()
