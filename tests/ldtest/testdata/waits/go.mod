module example.com/ldwaits

go 1.22
