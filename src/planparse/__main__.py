from planparse.console import main

main()
