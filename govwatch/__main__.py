from govwatch.errors import main

main()
