module example.com/ldbank

go 1.24
